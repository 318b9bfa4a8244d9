// The per-visit table `npm start` prints: pipeline (and whether it was a fallback), DIA sources found
// against transients injected, alerts, and the time of each step. Pure.
import { formatTable } from '../../tester/cli/summary-table';
import type { VisitRecord } from './visit-journal';

/** Seconds of the named step ("pipeline": the whole run with its reads and writes, else its tasks). */
export function stepSeconds(record: VisitRecord, step: string): number {
  if (step === 'pipeline' && !record.steps.some((s) => s.name === 'pipeline'))
    return record.steps.filter((s) => s.name.startsWith('task:')).reduce((sum, s) => sum + s.seconds, 0);
  return record.steps.filter((s) => s.name === step).reduce((sum, s) => sum + s.seconds, 0);
}

export function totalSeconds(record: VisitRecord): number | undefined {
  return record.startedAt !== undefined && record.finishedAt !== undefined
    ? (record.finishedAt - record.startedAt) / 1000
    : undefined;
}

const seconds = (value: number | undefined) => (value === undefined ? '-' : value.toFixed(1));

export function formatVisitTable(records: readonly VisitRecord[]): string {
  return formatTable(
    [
      'instrument',
      'group',
      'det',
      'status',
      'pipeline',
      'DIA/injected',
      'alerts',
      'prep',
      'wait',
      'ingest',
      'pipeline s',
      'export',
      'total s',
    ],
    records.map((r) => [
      r.instrument,
      r.group,
      String(r.detector),
      r.status === 'failed' ? `failed ${r.httpStatus ?? ''}`.trim() : r.status,
      r.pipeline ? `${r.pipeline}${r.fallback ? ' (fallback)' : ''}` : '-',
      r.diaSources === undefined
        ? '-'
        : `${r.diaSources} (${r.transientsFound ?? 0}/${r.transientsInjected ?? 0} found)`,
      String(r.alerts),
      seconds(stepSeconds(r, 'prep')),
      seconds(stepSeconds(r, 'wait')),
      seconds(stepSeconds(r, 'ingest')),
      seconds(stepSeconds(r, 'pipeline')),
      seconds(stepSeconds(r, 'export')),
      seconds(totalSeconds(r)),
    ]),
  );
}

/** Did the visit end as the tester meant it to: ApPipe with DIA sources, or the fallback without? */
export function endedAsExpected(record: VisitRecord, firstChoice: string): boolean {
  if (record.status !== 'done') return false;
  if (record.hasTemplate === false) return record.pipeline !== firstChoice && (record.diaSources ?? 0) === 0;
  return record.pipeline === firstChoice && (record.diaSources ?? 0) > 0;
}
