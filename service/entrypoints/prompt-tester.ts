// `prompt-tester`: play the camera against any environment — seed a central repo, write the pool of
// unobserved raws, upload groups (next_visit + raws with fresh ids), upload random visits in
// parallel, and verify what the service made of them. Wiring only; the work is in tester/.

import { join } from 'node:path';
import { Command, InvalidArgumentError, Option } from 'commander';
import { terminalProgress } from '../../tester/cli/progress';
import { formatTable } from '../../tester/cli/summary-table';
import { buckets, type SendFlags, uploadContext } from '../../tester/cli/wiring';
import { CURATED_POOLS, randomPool, randomPoolDetectors } from '../../tester/pool/curated-groups';
import { makeUnobserved, poolRawCount } from '../../tester/pool/make-unobserved';
import { seedCentralRepo } from '../../tester/seed/seed-central-repo';
import {
  UploadFailedError,
  type UploadReport,
  uploadCurated,
  uploadRandom,
} from '../../tester/upload/upload-runs';
import { readGroupRecord, verifyGroup } from '../../tester/verify/verify-groups';
import { Apdb } from '../apdb/apdb';
import { parseTesterConfig } from '../config/tester-config';
import { apdbLocation } from '../domain/apdb/apdb-location';
import { type InstrumentName, instrumentByName } from '../domain/instruments';
import { Repo } from '../repo/repo';
import { runCli } from './cli-run';

const positiveInt = (what: string) => (text: string) => {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1)
    throw new InvalidArgumentError(`${what} must be a positive integer`);
  return value;
};
const seconds = (text: string) => {
  const value = Number(text);
  if (!(value >= 0)) throw new InvalidArgumentError('must be a number of seconds ≥ 0');
  return value;
};
const ampSize = (text: string) => {
  const match = /^(\d+)x(\d+)$/.exec(text);
  if (!match) throw new InvalidArgumentError('must be WIDTHxHEIGHT, e.g. 64x64');
  return { dataWidth: Number(match[1]), dataHeight: Number(match[2]) };
};
const instrumentArg = (name: string): InstrumentName => instrumentByName(name).name;

const bucketOptions = (command: Command) =>
  command
    .option('--raw-bucket <name>', "bucket raws are uploaded to (the service's IMAGE_BUCKET)", 'rubin-pp-dev')
    .option(
      '--users-bucket <name>',
      'bucket holding unobserved/<INST>/ pools, id claims and run records',
      'rubin-pp-dev-users',
    );

const sendOptions = (command: Command, slew: string, snap: string) =>
  bucketOptions(command)
    .option('--kafka <host:port>', 'Kafka bootstrap servers; default KAFKA_CLUSTER or 127.0.0.1:9092')
    .option('--topic <name>', 'next-visit topic; default next-visit-<instrument> (with --topic-prefix)')
    .option('--topic-prefix <prefix>', 'environment prefix of topic names, e.g. dev-alice-', '')
    .option(
      '--rest-proxy-url <url>',
      'send next_visit as Avro through this Kafka REST proxy (as upstream) instead of JSON on Kafka',
    )
    .option(
      '--value-schema-id <id>',
      'schema registry id of the next_visit Avro schema (REST proxy only)',
      positiveInt('--value-schema-id'),
      1,
    )
    .option('--slew-seconds <s>', 'wait between next_visit and the first snap', seconds, Number(slew))
    .option(
      '--snap-seconds <s>',
      'wait before each snap is uploaded (integration + readout)',
      seconds,
      Number(snap),
    );

function printReport(report: UploadReport): void {
  const rows = report.groups.map((g) => [
    g.groupId,
    g.poolGroup,
    g.nextVisitSent,
    g.exposureIds.join(','),
    g.rawKeys.length,
    g.bytes / 1e6,
  ]);
  process.stdout.write(
    `${formatTable(['group', 'pool group', 'next_visit', 'exposures', 'raws', 'MB'], rows)}\n`,
  );
  process.stdout.write(
    `${report.files} files, ${(report.bytes / 1e6).toFixed(1)} MB in ${report.seconds.toFixed(2)} s: ${report.filesPerSecond.toFixed(2)} files/s, ${report.megabytesPerSecond.toFixed(2)} MB/s\n`,
  );
}

type UploadWork = (ctx: Awaited<ReturnType<typeof uploadContext>>['ctx']) => Promise<UploadReport>;

async function runUpload(
  instrument: InstrumentName,
  flags: SendFlags,
  kind: 'curated' | 'random',
  work: UploadWork,
  files: (groups: readonly { raws: readonly unknown[] }[]) => number,
) {
  const progress = terminalProgress();
  const { ctx, close } = await uploadContext(instrument, flags, kind, () => progress.increment());
  progress.start(files(ctx.pool.manifest.groups), 'upload');
  try {
    const report = await work(ctx);
    progress.stop();
    printReport(report);
  } catch (error) {
    progress.stop();
    if (error instanceof UploadFailedError)
      printReport({
        groups: error.sent,
        files: 0,
        bytes: 0,
        seconds: 0,
        filesPerSecond: 0,
        megabytesPerSecond: 0,
      });
    throw error;
  } finally {
    await close();
  }
}

const program = new Command('prompt-tester').description(
  'play the camera: seed, pool, upload and verify Prompt Processing runs',
);

program
  .command('seed-central-repo')
  .description("build a central repo (calibs, templates, refcat, dataset types) for the curated groups' sky")
  .argument('<instrument>', 'LATISS, LSSTComCam, LSSTCam or HSC', instrumentArg)
  .option('--repo <root>', 'central repo root (s3://bucket/prefix or a directory); default CENTRAL_REPO')
  .option('--registry-db <url>', 'create the repo first, with its registry in this PostgreSQL database')
  .option('--namespace <schema>', 'registry schema when creating', 'registry')
  .option(
    '--amp-size <WxH>',
    'LSST amp imaging size (scaled-down detectors, as make-unobserved used)',
    ampSize,
  )
  .option('--pipelines-dir <dir>', 'pipeline definitions', join(__dirname, '..', '..', 'pipelines'))
  .action(
    async (
      instrument: InstrumentName,
      options: {
        repo?: string;
        registryDb?: string;
        namespace: string;
        ampSize?: ReturnType<typeof ampSize>;
        pipelinesDir: string;
      },
    ) => {
      const config = parseTesterConfig(process.env);
      const root = options.repo ?? config.CENTRAL_REPO;
      if (!root) throw new InvalidArgumentError('no repo given: pass --repo <root> or set CENTRAL_REPO');
      const s3 = config.S3_ENDPOINT_URL ? { s3: { endpoint: config.S3_ENDPOINT_URL } } : {};
      const repo = options.registryDb
        ? await Repo.create(root, { registryDb: options.registryDb, namespace: options.namespace, ...s3 })
        : await Repo.openCompatible(root, s3);
      const progress = terminalProgress();
      let step = '';
      try {
        const report = await seedCentralRepo({
          repo,
          pool: CURATED_POOLS[instrument],
          pipelinesDir: options.pipelinesDir,
          ...(options.ampSize ? { ampSize: options.ampSize } : {}),
          onStep: (name, done, total) => {
            if (name !== step) {
              step = name;
              progress.start(total, name);
            }
            progress.increment();
            if (done === total) progress.stop();
          },
        });
        progress.stop();
        const rows = [
          ['dataset types', report.datasetTypes],
          ['calibrations (certified)', report.calibrations],
          ['template patches', report.templates],
          ['refcat shards', report.refcatShards],
          ...Object.entries(report.collections).map(([k, v]) => [`collection ${k}`, v]),
        ];
        process.stdout.write(`${formatTable(['seeded', instrument], rows)}\n`);
      } finally {
        progress.stop();
        await repo.close();
      }
    },
  );

bucketOptions(
  program
    .command('make-unobserved')
    .description(
      "write the curated pool (or, with --random-pool, upload-random's pool) to <users-bucket>/unobserved/<INST>/",
    )
    .argument('<instrument>', 'LATISS, LSSTComCam, LSSTCam or HSC', instrumentArg)
    .option('--random-pool', 'write the larger pool upload-random draws from')
    .option('--visits <n>', 'visits in the random pool', positiveInt('--visits'), 20)
    .option('--detectors <n>', 'detectors per visit in the random pool', positiveInt('--detectors'), 10)
    .option('--amp-size <WxH>', 'LSST amp imaging size; default the real one', ampSize)
    .option('--compress', 'RICE-compress LSST raws (.fz)'),
).action(
  async (
    instrument: InstrumentName,
    options: {
      randomPool?: boolean;
      visits: number;
      detectors: number;
      ampSize?: ReturnType<typeof ampSize>;
      compress?: boolean;
      usersBucket?: string;
    },
  ) => {
    const b = buckets(options);
    const detectorIds = randomPoolDetectors(instrument, options.detectors);
    const pool = options.randomPool
      ? randomPool(instrument, options.visits, detectorIds)
      : CURATED_POOLS[instrument];
    const progress = terminalProgress();
    progress.start(poolRawCount(pool), 'simulate');
    try {
      const report = await makeUnobserved({
        bucket: b.users,
        pool,
        kind: options.randomPool ? 'random' : 'curated',
        nowUtc: new Date(),
        ...(options.ampSize ? { ampSize: options.ampSize } : {}),
        ...(options.compress ? { compress: true } : {}),
        onRaw: () => progress.increment(),
      });
      progress.stop();
      const rows = report.manifest.groups.map((g) => [
        g.name,
        `${g.raDeg.toFixed(3)},${g.decDeg.toFixed(3)}`,
        g.physicalFilter,
        g.detectors.join(','),
        g.hasTemplate,
        g.transients * g.detectors.length,
      ]);
      process.stdout.write(
        `${formatTable(['pool group', 'ra,dec', 'filter', 'detectors', 'template', 'transients'], rows)}\n`,
      );
      process.stdout.write(
        `${report.raws} raws, ${(report.bytes / 1e6).toFixed(1)} MB → ${b.users.location}/${report.manifestKey}\n`,
      );
    } finally {
      progress.stop();
      b.close();
    }
  },
);

sendOptions(
  program
    .command('upload')
    .description(
      "replay N curated groups as new visits: next_visit, slew, then each snap's raws with fresh ids",
    )
    .argument('<instrument>', 'LATISS, LSSTComCam, LSSTCam or HSC', instrumentArg)
    .argument('<n>', 'number of groups', positiveInt('<n>')),
  '2',
  '18',
).action(async (instrument: InstrumentName, count: number, flags: SendFlags) => {
  await runUpload(
    instrument,
    flags,
    'curated',
    (ctx) => uploadCurated(ctx, count),
    (groups) =>
      Array.from({ length: count }, (_, i) => groups[i % groups.length]?.raws.length ?? 0).reduce(
        (a, b) => a + b,
        0,
      ),
  );
});

sendOptions(
  program
    .command('upload-random')
    .description(
      'upload N random visits of the random pool with K parallel workers; reports files/s and MB/s',
    )
    .argument('<n>', 'number of visits', positiveInt('<n>'))
    .requiredOption('--workers <k>', 'parallel workers', positiveInt('--workers'))
    .addOption(
      new Option('--instrument <name>', 'instrument whose random pool to use')
        .default('HSC')
        .argParser(instrumentArg),
    )
    .option('--seed <n>', 'seed of the random draw; default the clock', positiveInt('--seed')),
  '0',
  '0',
).action(
  async (
    count: number,
    flags: SendFlags & { workers: number; instrument: InstrumentName; seed?: number },
  ) => {
    await runUpload(
      flags.instrument,
      flags,
      'random',
      (ctx) => uploadRandom(ctx, count, flags.workers, flags.seed ?? Date.now() % 1_000_000_007),
      (groups) => count * (groups[0]?.raws.length ?? 0),
    );
  },
);

program
  .command('verify')
  .description('per group and detector: processed?, which pipeline, DIA sources found vs injected')
  .argument('<group...>', 'group ids printed by upload / upload-random')
  .option('--users-bucket <name>', 'bucket with the tester-runs/ records', 'rubin-pp-dev-users')
  .option('--repo <root>', 'central repo; default CENTRAL_REPO (skipped when neither is set)')
  .option('--apdb-url <url>', 'APDB (postgresql://…?options=-c search_path=<schema>); default CONFIG_APDB')
  .option('--apdb-namespace <schema>', 'APDB schema when the URL does not carry one')
  .action(
    async (
      groups: string[],
      options: { usersBucket?: string; repo?: string; apdbUrl?: string; apdbNamespace?: string },
    ) => {
      const config = parseTesterConfig(process.env);
      const b = buckets(options);
      const root = options.repo ?? config.CENTRAL_REPO;
      const apdbUrl = options.apdbUrl ?? config.CONFIG_APDB;
      const repo = root
        ? await Repo.open(root, config.S3_ENDPOINT_URL ? { s3: { endpoint: config.S3_ENDPOINT_URL } } : {})
        : undefined;
      const apdb = apdbUrl ? await Apdb.open(apdbLocation(apdbUrl, options.apdbNamespace)) : undefined;
      try {
        const rows = [];
        for (const group of groups) {
          for (const v of await verifyGroup(await readGroupRecord(b.users, group), apdb, repo))
            rows.push([
              v.groupId,
              v.detector,
              v.visit,
              v.processed,
              v.pipeline,
              v.apdbStored,
              v.diaSources,
              `${v.transientsFound}/${v.transientsInjected}`,
            ]);
        }
        process.stdout.write(
          `${formatTable(['group', 'detector', 'visit', 'processed', 'pipeline', 'apdb', 'DIA sources', 'transients found'], rows)}\n`,
        );
      } finally {
        b.close();
        await Promise.all([repo?.close(), apdb?.db.close()]);
      }
    },
  );

runCli('prompt-tester', program);
