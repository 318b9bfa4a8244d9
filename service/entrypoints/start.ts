// `npm start`: the whole Prompt Processing loop on this machine. By default on embedded backends
// (PGlite, folders, an in-process bus: nothing to install beyond `npm ci`); with --real against the
// local Kafka, Ceph RGW (notifications through the bridge) and PostgreSQL, started if needed.
// Seeds a central repo, starts the fan-out and a prompt service per instrument, plays the camera
// for a few curated groups, prints a per-visit table and serves the dashboard until Ctrl-C.
import { mkdir, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { Command, InvalidArgumentError, Option } from 'commander';
import type { FastifyInstance } from 'fastify';
import pino from 'pino';
import { buildDashboard } from '../dashboard/dashboard-app';
import { INSTRUMENT_NAMES, type InstrumentName } from '../domain/instruments';
import { openEmbeddedBackends } from '../local-loop/embedded-backends';
import { LocalLoop } from '../local-loop/local-loop';
import type { LoopBackends } from '../local-loop/loop-backends';
import { openRealBackends, wipeRealBackends } from '../local-loop/real-backends';
import { VisitJournal } from '../local-loop/visit-journal';
import { formatVisitTable } from '../local-loop/visit-table';

const REPO_ROOT = resolve(__dirname, '..', '..');

interface StartOptions {
  instrument: InstrumentName[];
  groups: number;
  exitWhenDone: boolean;
  fresh: boolean;
  real: boolean;
  dataDir?: string;
  dashboardPort: number;
  slewSeconds: number;
  snapSeconds: number;
  workers: number;
}

const count = (value: string) => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('expected a whole number');
  return n;
};
const seconds = (value: string) => {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) throw new InvalidArgumentError('expected seconds ≥ 0');
  return n;
};

function parseArguments(argv: readonly string[]): StartOptions {
  const program = new Command('npm start --')
    .description('Run the whole Prompt Processing loop on this machine and show each visit.')
    .addOption(
      new Option('--instrument <names...>', 'instruments to run')
        .choices(INSTRUMENT_NAMES)
        .default(['LATISS']),
    )
    .option('--groups <n>', 'curated groups to play per instrument', count, 3)
    .option('--exit-when-done', 'exit after the groups: 0 when every visit ended as expected', false)
    .option('--fresh', 'wipe the data folder (or, with --real, the loop’s buckets and schemas) first', false)
    .option('--real', 'use the local Kafka, Ceph RGW and PostgreSQL (started if needed)', false)
    .option('--data-dir <path>', 'where data lands (default .local/loop, or .local/loop-real with --real)')
    .option('--dashboard-port <port>', 'dashboard port on 127.0.0.1 (0: any free port)', count, 8780)
    .option('--slew-seconds <s>', 'tester wait between next_visit and the first snap', seconds, 1)
    .option('--snap-seconds <s>', 'tester wait before each snap is uploaded', seconds, 2)
    .option('--workers <n>', 'visits a service processes at once', count, 4)
    .showHelpAfterError();
  program.parse(argv, { from: 'user' });
  return program.opts<StartOptions>();
}

/** Listens on 127.0.0.1 at the port asked for, or any free port when that one is taken. */
async function listenOnLoopback(app: FastifyInstance, port: number): Promise<string> {
  try {
    return await app.listen({ host: '127.0.0.1', port });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
    return app.listen({ host: '127.0.0.1', port: 0 });
  }
}

async function main(): Promise<number> {
  const options = parseArguments(process.argv.slice(2));
  const dataDir = resolve(options.dataDir ?? join(REPO_ROOT, '.local', options.real ? 'loop-real' : 'loop'));
  const say = (line: string) => process.stdout.write(`${line}\n`);
  /** Progress lines carry the seconds since the process started (imports included). */
  const sayTimed = (line: string) => say(`[${process.uptime().toFixed(1).padStart(6)} s] ${line}`);
  const startedAt = performance.now();
  if (options.fresh && !options.real) await rm(dataDir, { recursive: true, force: true });
  await mkdir(join(dataDir, 'logs'), { recursive: true });
  const logFile = join(dataDir, 'logs', `loop-${new Date().toISOString().replace(/[:.]/g, '-')}.log`);
  const logger = pino(
    { level: process.env.LOG_LEVEL ?? 'info' },
    pino.destination({ dest: logFile, sync: false }),
  );
  say(`prompt-processing local loop (${options.real ? 'real services' : 'embedded'}); logs in ${logFile}`);
  if (options.real && options.fresh) await wipeRealBackends(REPO_ROOT, options.instrument, say);
  const backends: LoopBackends = options.real
    ? await openRealBackends(REPO_ROOT, logger, say)
    : await openEmbeddedBackends(dataDir, logger);
  say(backends.description);
  const journal = new VisitJournal();
  let loop: LocalLoop | undefined;
  let closeDashboard: () => Promise<void> = async () => {};
  const stop = async () => {
    await closeDashboard();
    await loop?.stop();
    await backends.close();
    logger.flush();
  };
  let stopping = false;
  process.once('SIGINT', () => {
    if (stopping) return;
    stopping = true;
    say('\nstopping…');
    void stop().then(() => process.exit(130));
  });
  loop = await LocalLoop.start({
    backends,
    journal,
    instruments: options.instrument,
    dataDir,
    repoRoot: REPO_ROOT,
    logger,
    progress: sayTimed,
    timings: { slewSeconds: options.slewSeconds, snapSeconds: options.snapSeconds },
    workerCount: options.workers,
  });
  const dashboard = buildDashboard({
    journal,
    archive: loop.archive,
    title: `Prompt Processing — local loop (${backends.kind})`,
    apdbCounts: () => (loop ? loop.apdbCounts() : Promise.resolve({})),
  });
  closeDashboard = () => dashboard.close();
  const dashboardUrl = await listenOnLoopback(dashboard, options.dashboardPort);
  say(`ready in ${((performance.now() - startedAt) / 1000).toFixed(1)} s — dashboard: ${dashboardUrl}`);
  const results = await Promise.all(options.instrument.map((name) => loop?.runGroups(name, options.groups)));
  say('');
  say(formatVisitTable(journal.all()));
  const expected = results.every((r) => r?.expected);
  say(
    `\n${expected ? 'every visit ended as expected' : 'some visits did NOT end as expected'} (${((performance.now() - startedAt) / 1000).toFixed(1)} s since start)`,
  );
  if (options.exitWhenDone) {
    await stop();
    return expected ? 0 : 1;
  }
  say(`Dashboard: ${dashboardUrl} — Ctrl-C to stop.`);
  return new Promise<number>(() => {});
}

// Should every handle close while the loop still waits (a bug), say so rather than exit 0 silently.
process.once('beforeExit', () => {
  process.stderr.write('npm start: stopped with work still waiting (nothing left to wake it)\n');
  process.exit(1);
});

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`npm start: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
