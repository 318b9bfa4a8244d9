// The alerts the local loop saw on its alert topics, kept for the dashboard: each framed lsst.v11_0
// alert is decoded once, and its DiaSource (position, SNR, flags) and three FITS cutouts are kept per
// (visit, detector), oldest visit-detectors evicted first past a count or a byte budget. A message that
// does not decode is counted and remembered as an error, never thrown: the topic is not ours to stop.

import { decodeAlert } from '../alerts/alert-packet';
import { type AlertSchema, loadAlertSchema } from '../alerts/alert-schema';
import type { JournalDiaSource, VisitJournal } from './visit-journal';

export const CUTOUT_KINDS = ['science', 'template', 'difference'] as const;
export type CutoutKind = (typeof CUTOUT_KINDS)[number];

export interface ArchivedDiaSource extends JournalDiaSource {
  /** The instrument whose alert topic carried it, when the caller said. */
  readonly instrument?: string;
  readonly visit: number;
  readonly detector: number;
  readonly diaObjectId?: string;
  readonly band?: string;
  readonly psfFlux?: number;
  readonly psfFluxErr?: number;
  readonly isDipole: boolean;
  /** Names of the DiaSource's boolean columns that are set (pixelFlags_edge, centroid_flag, …). */
  readonly flags: readonly string[];
  /** FITS bytes of each cutout the alert carried. */
  readonly cutouts: Readonly<Partial<Record<CutoutKind, Uint8Array>>>;
}

export interface AlertArchiveOptions {
  /** Visit-detectors kept; the oldest goes first. @default 200 */
  readonly maxVisitDetectors?: number;
  /** Cutout bytes kept over all visit-detectors. @default 64 MiB */
  readonly maxCutoutBytes?: number;
  /** Decode errors remembered. @default 20 */
  readonly maxErrors?: number;
  /** @default - the shipped lsst.v11_0 schema */
  readonly schema?: AlertSchema;
}

export interface AlertDecodeFailure {
  readonly at: number;
  readonly instrument?: string;
  readonly bytes: number;
  readonly message: string;
}

export interface AlertArchiveStats {
  readonly alerts: number;
  readonly decodeErrors: number;
  readonly visitDetectors: number;
  readonly cutoutBytes: number;
}

export type AlertListener = (source: ArchivedDiaSource) => void;

interface VisitDetectorEntry {
  readonly sources: ArchivedDiaSource[];
  bytes: number;
}

export class AlertArchive {
  private readonly schema: AlertSchema;
  private readonly maxVisitDetectors: number;
  private readonly maxCutoutBytes: number;
  private readonly maxErrors: number;
  /** Insertion order is age order: Map iteration gives the oldest visit-detector first. */
  private readonly byVisitDetector = new Map<string, VisitDetectorEntry>();
  private readonly byId = new Map<string, ArchivedDiaSource>();
  private readonly listeners = new Set<AlertListener>();
  private readonly failures: AlertDecodeFailure[] = [];
  private alerts = 0;
  private decodeErrors = 0;
  private bytes = 0;

  constructor(options: AlertArchiveOptions = {}) {
    this.schema = options.schema ?? loadAlertSchema();
    this.maxVisitDetectors = options.maxVisitDetectors ?? 200;
    this.maxCutoutBytes = options.maxCutoutBytes ?? 64 * 1024 * 1024;
    this.maxErrors = options.maxErrors ?? 20;
  }

  /**
   * Takes one framed alert as it comes off an alert topic. Returns the DiaSource it carried, or
   * undefined when the message did not decode (counted in stats() and listed by errors()).
   */
  add(message: Buffer, instrument?: string): ArchivedDiaSource | undefined {
    let source: ArchivedDiaSource;
    try {
      source = archivedDiaSource(decodeAlert(this.schema, message), instrument);
    } catch (error) {
      this.decodeErrors++;
      this.failures.push({
        at: Date.now(),
        instrument,
        bytes: message.length,
        message: (error as Error).message,
      });
      if (this.failures.length > this.maxErrors) this.failures.shift();
      return undefined;
    }
    this.alerts++;
    this.keep(source);
    for (const listener of this.listeners) listener(source);
    return source;
  }

  /** The DiaSources of a visit-detector in arrival order; only those of `instrument` when both say. */
  diaSources(visit: number, detector: number, instrument?: string): readonly ArchivedDiaSource[] {
    const sources = this.byVisitDetector.get(entryKey(visit, detector))?.sources ?? [];
    if (instrument === undefined) return sources;
    return sources.filter((s) => s.instrument === undefined || s.instrument === instrument);
  }

  diaSource(diaSourceId: string): ArchivedDiaSource | undefined {
    return this.byId.get(diaSourceId);
  }

  /** Called with every DiaSource decoded, after it is stored. */
  onAlert(listener: AlertListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  stats(): AlertArchiveStats {
    return {
      alerts: this.alerts,
      decodeErrors: this.decodeErrors,
      visitDetectors: this.byVisitDetector.size,
      cutoutBytes: this.bytes,
    };
  }

  /** Recent decode failures, newest first. */
  errors(): readonly AlertDecodeFailure[] {
    return [...this.failures].reverse();
  }

  private keep(source: ArchivedDiaSource): void {
    const key = entryKey(source.visit, source.detector);
    let entry = this.byVisitDetector.get(key);
    if (!entry) {
      entry = { sources: [], bytes: 0 };
      this.byVisitDetector.set(key, entry);
    }
    const previous = this.byId.get(source.diaSourceId);
    if (previous) this.forget(previous);
    const size = cutoutBytes(source);
    entry.sources.push(source);
    entry.bytes += size;
    this.bytes += size;
    this.byId.set(source.diaSourceId, source);
    this.evict(key);
  }

  /** Drops a re-sent DiaSource's earlier copy (a rerun publishes the same id again). */
  private forget(source: ArchivedDiaSource): void {
    const entry = this.byVisitDetector.get(entryKey(source.visit, source.detector));
    if (!entry) return;
    const index = entry.sources.indexOf(source);
    if (index < 0) return;
    entry.sources.splice(index, 1);
    entry.bytes -= cutoutBytes(source);
    this.bytes -= cutoutBytes(source);
  }

  /** Oldest visit-detectors out until both budgets hold; the one just written stays. */
  private evict(current: string): void {
    for (const [key, entry] of this.byVisitDetector) {
      if (this.byVisitDetector.size <= this.maxVisitDetectors && this.bytes <= this.maxCutoutBytes) return;
      if (key === current) continue;
      this.byVisitDetector.delete(key);
      this.bytes -= entry.bytes;
      for (const source of entry.sources) this.byId.delete(source.diaSourceId);
    }
  }
}

/**
 * A listener that bumps the journal's alert count of the record the alert belongs to: same detector,
 * the record's visit equal to the alert's, and the same instrument when the archive knows it.
 */
export function countAlertsInJournal(journal: VisitJournal): AlertListener {
  return (source) => {
    const record = journal
      .all()
      .find(
        (r) =>
          r.visit === source.visit &&
          r.detector === source.detector &&
          (source.instrument === undefined || r.instrument === source.instrument),
      );
    if (record) journal.alert(record);
  };
}

function entryKey(visit: number, detector: number): string {
  return `${visit}/${detector}`;
}

function cutoutBytes(source: ArchivedDiaSource): number {
  let total = 0;
  for (const kind of CUTOUT_KINDS) total += source.cutouts[kind]?.length ?? 0;
  return total;
}

const CUTOUT_FIELDS: Readonly<Record<CutoutKind, string>> = {
  science: 'cutoutScience',
  template: 'cutoutTemplate',
  difference: 'cutoutDifference',
};

function archivedDiaSource(
  alert: Record<string, unknown>,
  instrument: string | undefined,
): ArchivedDiaSource {
  const row = alert.diaSource as Record<string, unknown>;
  const cutouts: Partial<Record<CutoutKind, Uint8Array>> = {};
  for (const kind of CUTOUT_KINDS) {
    const bytes = alert[CUTOUT_FIELDS[kind]];
    // A copy: the decoded Buffer may share the whole message's memory.
    if (bytes instanceof Uint8Array && bytes.length > 0) cutouts[kind] = new Uint8Array(bytes);
  }
  const flags = Object.keys(row).filter(
    (name) => row[name] === true && name !== 'isNegative' && name !== 'isDipole',
  );
  return {
    ...(instrument === undefined ? {} : { instrument }),
    diaSourceId: String(row.diaSourceId),
    visit: Number(row.visit),
    detector: Number(row.detector),
    ...(row.diaObjectId == null ? {} : { diaObjectId: String(row.diaObjectId) }),
    ...(typeof row.band === 'string' ? { band: row.band } : {}),
    ra: Number(row.ra),
    dec: Number(row.dec),
    x: Number(row.x),
    y: Number(row.y),
    snr: Number(row.snr ?? Number.NaN),
    ...(typeof row.psfFlux === 'number' ? { psfFlux: row.psfFlux } : {}),
    ...(typeof row.psfFluxErr === 'number' ? { psfFluxErr: row.psfFluxErr } : {}),
    isNegative: row.isNegative === true,
    isDipole: row.isDipole === true,
    flags,
    cutouts,
  };
}
