// The JSON the dashboard page reads, shaped from the visit journal and the alert archive: a summary
// row per (group, detector) grouped by instrument, and one detector's full view with its steps and
// the DIA sources its alerts carried (cutouts as URLs, never as bytes).

import {
  type AlertArchive,
  type ArchivedDiaSource,
  CUTOUT_KINDS,
  type CutoutKind,
} from '../local-loop/alert-archive';
import type { VisitRecord, VisitStatus, VisitStep } from '../local-loop/visit-journal';

export interface VisitSummary {
  readonly instrument: string;
  readonly group: string;
  readonly detector: number;
  readonly visit: number | null;
  readonly status: VisitStatus;
  readonly pipeline: string | null;
  readonly expectedPipeline: string | null;
  readonly fallback: boolean;
  readonly hasTemplate: boolean | null;
  readonly diaSources: number | null;
  readonly transientsInjected: number | null;
  readonly transientsFound: number | null;
  readonly alerts: number;
  /** DiaSources the alert archive holds for this visit-detector. */
  readonly archivedDiaSources: number;
  /** From start to finish, or to now while running; null before it started. */
  readonly totalSeconds: number | null;
  readonly httpStatus: number | null;
  readonly error: string | null;
}

export interface InstrumentVisits {
  readonly instrument: string;
  readonly visits: readonly VisitSummary[];
}

export interface DashboardDiaSource extends Omit<ArchivedDiaSource, 'cutouts'> {
  /** PNG URL per cutout the alert carried. */
  readonly cutouts: Readonly<Partial<Record<CutoutKind, string>>>;
}

export interface DetectorView {
  readonly visit: VisitSummary;
  readonly steps: readonly VisitStep[];
  readonly queuedAt: number;
  readonly startedAt: number | null;
  readonly finishedAt: number | null;
  readonly diaSources: readonly DashboardDiaSource[];
}

export function visitsByInstrument(
  journal: { all(): VisitRecord[] },
  archive: AlertArchive,
  now = Date.now(),
): InstrumentVisits[] {
  const groups = new Map<string, VisitSummary[]>();
  for (const record of journal.all()) {
    let visits = groups.get(record.instrument);
    if (!visits) {
      visits = [];
      groups.set(record.instrument, visits);
    }
    visits.push(visitSummary(record, archive, now));
  }
  return [...groups].map(([instrument, visits]) => ({ instrument, visits }));
}

export function detectorView(record: VisitRecord, archive: AlertArchive, now = Date.now()): DetectorView {
  return {
    visit: visitSummary(record, archive, now),
    steps: record.steps,
    queuedAt: record.queuedAt,
    startedAt: record.startedAt ?? null,
    finishedAt: record.finishedAt ?? null,
    diaSources: archivedSources(record, archive).map(dashboardDiaSource),
  };
}

function visitSummary(record: VisitRecord, archive: AlertArchive, now: number): VisitSummary {
  const end = record.finishedAt ?? now;
  return {
    instrument: record.instrument,
    group: record.group,
    detector: record.detector,
    visit: record.visit ?? null,
    status: record.status,
    pipeline: record.pipeline ?? null,
    expectedPipeline: record.expectedPipeline ?? null,
    fallback: record.fallback === true,
    hasTemplate: record.hasTemplate ?? null,
    diaSources: record.diaSources ?? null,
    transientsInjected: record.transientsInjected ?? null,
    transientsFound: record.transientsFound ?? null,
    alerts: record.alerts,
    archivedDiaSources: archivedSources(record, archive).length,
    totalSeconds: record.startedAt === undefined ? null : Math.max(0, (end - record.startedAt) / 1000),
    httpStatus: record.httpStatus ?? null,
    error: record.error ?? null,
  };
}

function archivedSources(record: VisitRecord, archive: AlertArchive): readonly ArchivedDiaSource[] {
  return record.visit === undefined
    ? []
    : archive.diaSources(record.visit, record.detector, record.instrument);
}

function dashboardDiaSource(source: ArchivedDiaSource): DashboardDiaSource {
  const { cutouts, ...rest } = source;
  const urls: Partial<Record<CutoutKind, string>> = {};
  for (const kind of CUTOUT_KINDS)
    if (cutouts[kind]) urls[kind] = `/cutouts/${encodeURIComponent(source.diaSourceId)}/${kind}.png`;
  return { ...rest, cutouts: urls };
}
