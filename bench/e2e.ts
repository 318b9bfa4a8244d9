// bench:e2e — raw PUT → APDB commit per detector through the whole local loop (tester → next_visit →
// fan-out → service → raw bucket notification → ingest → ApPipe → APDB), for the embedded backends
// (PGlite, folders, in-process bus) and the real ones (Kafka, Ceph RGW through the bridge,
// PostgreSQL), measured in the same run. Median and p95 over N visits, the time per step, and the
// overhead outside the pipeline: PUT → commit minus the pipeline tasks up to the APDB commit.
// The detector is the full LATISS sensor (16 amps of 509×2000); --amp WxH scales it, but below about
// 4 Mpx too few stars are bright enough to measure the PSF and ApPipe stops.
// Usage: npm run bench:e2e [-- --visits 20 --amp 509x2000 --snap-seconds 8 --backends embedded,real]
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import pino from 'pino';
import { openEmbeddedBackends } from '../service/local-loop/embedded-backends';
import { LocalLoop } from '../service/local-loop/local-loop';
import type { LoopBackends } from '../service/local-loop/loop-backends';
import { openRealBackends } from '../service/local-loop/real-backends';
import { VisitJournal, type VisitRecord } from '../service/local-loop/visit-journal';
import { percentile } from './support/services';

function flag(name: string, fallback: string): string {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? (process.argv[index + 1] ?? fallback) : fallback;
}
const VISITS = Number(flag('visits', '20'));
const [AMP_W, AMP_H] = flag('amp', '509x2000').split('x').map(Number) as [number, number];
const BACKENDS = flag('backends', 'embedded,real').split(',') as Array<'embedded' | 'real'>;
const SNAP_SECONDS = Number(flag('snap-seconds', '8'));
const REPO_ROOT = resolve(__dirname, '..');
const quiet = pino({ level: process.env.LOG_LEVEL ?? 'silent' });

const round = (v: number) => Math.round(v * 1000) / 1000;
const stats = (values: readonly number[]) => ({
  median: round(percentile(values, 50)),
  p95: round(percentile(values, 95)),
  min: round(Math.min(...values)),
  max: round(Math.max(...values)),
});

/**
 * One visit's timeline: raw PUT → pipeline start (notification, the end of the wait, ingest: the
 * overhead outside the pipeline) → APDB commit (the end of associateApdb), and inside the pipeline
 * the tasks' own time against its dataset reads and writes.
 */
function measure(record: VisitRecord) {
  const started = record.startedAt ?? 0;
  const at = (name: string) => record.steps.find((s) => s.name === name);
  const commit = at('task:associateApdb');
  const pipeline = at('pipeline');
  if (!commit || !pipeline || record.rawsPutAt === undefined) return undefined;
  const pipelineStart = started + pipeline.startSeconds * 1000;
  const commitAt = started + (commit.startSeconds + commit.seconds) * 1000;
  const commitEnd = commit.startSeconds + commit.seconds;
  const tasks = record.steps
    .filter((s) => s.name.startsWith('task:') && s.startSeconds + s.seconds <= commitEnd + 1e-6)
    .reduce((sum, s) => sum + s.seconds, 0);
  const pipelineToCommit = (commitAt - pipelineStart) / 1000;
  const step = (name: string) =>
    record.steps.filter((s) => s.name === name).reduce((n, s) => n + s.seconds, 0);
  return {
    putToCommit: (commitAt - record.rawsPutAt) / 1000,
    overhead: (pipelineStart - record.rawsPutAt) / 1000,
    pipelineToCommit,
    pipelineTasks: tasks,
    pipelineDatasetIo: pipelineToCommit - tasks,
    steps: {
      prep: step('prep'),
      preprocess: step('preprocess'),
      wait: step('wait'),
      ingest: step('ingest'),
      pipeline: step('pipeline'),
      export: step('export'),
    },
    taskSeconds: Object.fromEntries(
      record.steps.filter((s) => s.name.startsWith('task:')).map((s) => [s.name.slice(5), s.seconds]),
    ),
  };
}

async function runBackend(kind: 'embedded' | 'real') {
  const dataDir = await mkdtemp(join(tmpdir(), `pp-bench-e2e-${kind}-`));
  const say = (line: string) => process.stderr.write(`[${kind}] ${line}\n`);
  const backends: LoopBackends =
    kind === 'embedded'
      ? await openEmbeddedBackends(dataDir, quiet)
      : await openRealBackends(REPO_ROOT, quiet, say, {
          developer: `bench-${AMP_W}x${AMP_H}`,
          startServices: true,
        });
  const journal = new VisitJournal();
  const loop = await LocalLoop.start({
    backends,
    journal,
    instruments: ['LATISS'],
    dataDir,
    repoRoot: REPO_ROOT,
    logger: quiet,
    serviceLogLevels: 'lsst.activator=CRITICAL timer.lsst.activator=CRITICAL',
    progress: say,
    // The camera's pace, shortened: the service prepares while the telescope slews and exposes.
    timings: { slewSeconds: 2, snapSeconds: SNAP_SECONDS },
    workerCount: 1,
    ampSize: { dataWidth: AMP_W, dataHeight: AMP_H },
  });
  try {
    const result = await loop.runGroups('LATISS', VISITS, { only: (group) => group.hasTemplate });
    const measured = result.records.map(measure).filter((m) => m !== undefined);
    if (measured.length < result.records.length)
      say(
        `${result.records.length - measured.length} visit(s) did not reach the APDB: ${result.records
          .filter((r) => r.status !== 'done')
          .map((r) => r.error)
          .join('; ')}`,
      );
    const taskNames = [...new Set(measured.flatMap((m) => Object.keys(m.taskSeconds)))];
    return {
      backends: backends.description,
      visits: result.records.length,
      committed: measured.length,
      putToCommitSeconds: stats(measured.map((m) => m.putToCommit)),
      overheadOutsidePipelineSeconds: stats(measured.map((m) => m.overhead)),
      pipelineToCommitSeconds: stats(measured.map((m) => m.pipelineToCommit)),
      pipelineTasksSeconds: stats(measured.map((m) => m.pipelineTasks)),
      pipelineDatasetIoSeconds: stats(measured.map((m) => m.pipelineDatasetIo)),
      stepSeconds: Object.fromEntries(
        (['prep', 'preprocess', 'wait', 'ingest', 'pipeline', 'export'] as const).map((s) => [
          s,
          stats(measured.map((m) => m.steps[s])),
        ]),
      ),
      taskSeconds: Object.fromEntries(
        taskNames.map((t) => [t, stats(measured.map((m) => m.taskSeconds[t] ?? 0))]),
      ),
    };
  } finally {
    await loop.stop();
    await backends.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}

async function main() {
  const results: Record<string, Awaited<ReturnType<typeof runBackend>>> = {};
  for (const kind of BACKENDS) results[kind] = await runBackend(kind);
  const { embedded, real } = results;
  const output = {
    benchmark: 'e2e',
    what: 'raw PUT → APDB commit per detector, LATISS through the whole local loop, one visit at a time',
    detector: { instrument: 'LATISS', amps: 16, ampPixels: `${AMP_W}x${AMP_H}`, pixels: 16 * AMP_W * AMP_H },
    visitsPerBackend: VISITS,
    testerTimings: { slewSeconds: 2, snapSeconds: SNAP_SECONDS },
    goal: { overheadOutsidePipelineSeconds: 1 },
    results,
    ...(embedded && real
      ? {
          ratios: {
            putToCommitRealOverEmbedded: round(
              real.putToCommitSeconds.median / embedded.putToCommitSeconds.median,
            ),
            overheadRealOverEmbedded: round(
              real.overheadOutsidePipelineSeconds.median / embedded.overheadOutsidePipelineSeconds.median,
            ),
          },
        }
      : {}),
    goalMet: Object.fromEntries(
      Object.entries(results).map(([k, r]) => [k, r.overheadOutsidePipelineSeconds.median <= 1]),
    ),
  };
  process.stdout.write(`${JSON.stringify(output, null, 2)}\n`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`bench:e2e: ${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
  },
);
