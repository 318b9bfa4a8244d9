// upload-random benchmark against the local Ceph RGW and Kafka: files/s and MB/s at 1, 2 and 4
// workers (median of REPEATS runs each), HSC-RC2 style — random visits of a pool of full-size HSC
// raws, each visit a next_visit plus its detectors' raws with rewritten headers. The peer, measured
// in the same run, is a plain sequential PutObject loop of the same pooled bytes (no next_visit, no
// header rewrite, no sidecars): what one client can push into RGW at all.
// Usage: npm run bench:upload [-- --visits 8 --pool-visits 2 --detectors 4 --repeats 3 --instrument HSC]
import { randomUUID } from 'node:crypto';
import { CreateBucketCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import pino from 'pino';
import { createKafka } from '../service/adapters/kafka/kafka-client';
import { KafkaPublisher } from '../service/adapters/kafka/kafka-publisher';
import { s3ClientFor } from '../service/adapters/s3/s3-datastore';
import { S3ObjectBucket } from '../service/adapters/s3/s3-object-bucket';
import { type InstrumentName, instrumentByName } from '../service/domain/instruments';
import { randomPool, randomPoolDetectors } from '../tester/pool/curated-groups';
import { makeUnobserved } from '../tester/pool/make-unobserved';
import { GroupIdAllocator } from '../tester/upload/claim-ids';
import { KafkaNextVisitSender } from '../tester/upload/next-visit-sender';
import { PoolCache } from '../tester/upload/pool-cache';
import type { UploadContext } from '../tester/upload/upload-group';
import { uploadRandom } from '../tester/upload/upload-runs';
import { emptyAndDelete } from './support/buckets';
import { benchS3Endpoint, elapsedMs, uniqueSuffix } from './support/services';

function flag(name: string, fallback: string): string {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? (process.argv[index + 1] ?? fallback) : fallback;
}
const INSTRUMENT = instrumentByName(flag('instrument', 'HSC')).name as InstrumentName;
const VISITS = Number(flag('visits', '8'));
const POOL_VISITS = Number(flag('pool-visits', '2'));
const DETECTORS = Number(flag('detectors', '4'));
const REPEATS = Number(flag('repeats', '3'));
const WORKERS = [1, 2, 4];
const KAFKA = process.env.KAFKA_CLUSTER ?? '127.0.0.1:9092';

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
};
const round = (x: number) => Math.round(x * 100) / 100;

async function main(): Promise<void> {
  const endpoint = benchS3Endpoint();
  const s3 = s3ClientFor({ endpoint });
  const suffix = uniqueSuffix();
  const names = {
    raw: `bench-upload-raw-${suffix}`,
    users: `bench-upload-users-${suffix}`,
    peer: `bench-upload-peer-${suffix}`,
  };
  for (const bucket of Object.values(names)) await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  const kafka = createKafka({
    bootstrapServers: KAFKA,
    clientId: 'bench-upload',
    logger: pino({ level: 'silent' }),
  });
  const topic = `bench-upload-next-visit-${suffix}`;
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic }], waitForLeaders: true });
  const users = new S3ObjectBucket(s3, names.users);
  const raw = new S3ObjectBucket(s3, names.raw);
  const detectors = randomPoolDetectors(INSTRUMENT, DETECTORS);
  const simulateStart = process.hrtime.bigint();
  const made = await makeUnobserved({
    bucket: users,
    pool: randomPool(INSTRUMENT, POOL_VISITS, detectors),
    kind: 'random',
    nowUtc: new Date(),
  });
  const simulateSeconds = elapsedMs(simulateStart) / 1000;
  const pool = await PoolCache.open(users, INSTRUMENT, 'random');
  const sender = new KafkaNextVisitSender(new KafkaPublisher(kafka), topic);
  const ctx: UploadContext = {
    instrument: INSTRUMENT,
    usersBucket: users,
    rawBucket: raw,
    sender,
    allocator: new GroupIdAllocator(users, INSTRUMENT, randomUUID()),
    pool,
    timings: { slewSeconds: 0, snapSeconds: 0 },
    nowUtcSeconds: () => Date.now() / 1000,
    sleep: async () => {},
  };
  const results = [];
  try {
    for (const workers of WORKERS) {
      const runs = [];
      for (let r = 0; r < REPEATS; r++)
        runs.push(await uploadRandom(ctx, VISITS, workers, 1000 * workers + r));
      results.push({
        workers,
        files: runs[0]?.files,
        megabytes: round((runs[0]?.bytes ?? 0) / 1e6),
        filesPerSecond: round(median(runs.map((x) => x.filesPerSecond))),
        megabytesPerSecond: round(median(runs.map((x) => x.megabytesPerSecond))),
        secondsMedian: round(median(runs.map((x) => x.seconds))),
      });
    }
    // Peer: the same number of files, same pooled bytes, one PutObject after another.
    const entries = pool.manifest.groups.flatMap((g) => g.raws);
    const files = (results[0]?.files as number) ?? entries.length;
    const peerRuns = [];
    for (let r = 0; r < REPEATS; r++) {
      const start = process.hrtime.bigint();
      let bytes = 0;
      for (let i = 0; i < files; i++) {
        const entry = entries[i % entries.length] as (typeof entries)[number];
        const body = (await pool.raw(entry)).bytes;
        await s3.send(new PutObjectCommand({ Bucket: names.peer, Key: `peer/${r}/${i}.fits`, Body: body }));
        bytes += body.length;
      }
      const seconds = elapsedMs(start) / 1000;
      peerRuns.push({ filesPerSecond: files / seconds, megabytesPerSecond: bytes / 1e6 / seconds });
    }
    process.stdout.write(
      `${JSON.stringify(
        {
          benchmark: 'upload-random',
          instrument: INSTRUMENT,
          visitsPerRun: VISITS,
          detectorsPerVisit: DETECTORS,
          rawMegabytes: round(made.bytes / made.raws / 1e6),
          poolRaws: made.raws,
          poolSimulationSeconds: round(simulateSeconds),
          repeats: REPEATS,
          uploadRandom: results,
          peer: {
            what: 'sequential PutObject loop of the same pooled raws (no next_visit, header rewrite or sidecar)',
            files,
            filesPerSecond: round(median(peerRuns.map((p) => p.filesPerSecond))),
            megabytesPerSecond: round(median(peerRuns.map((p) => p.megabytesPerSecond))),
          },
          machine: '2 cores, local Ceph RGW and Kafka',
        },
        null,
        2,
      )}\n`,
    );
  } finally {
    await sender.close();
    await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
    await admin.disconnect();
    for (const bucket of Object.values(names)) await emptyAndDelete(s3, bucket);
    s3.destroy();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench:upload: ${(error as Error).message}\n`);
  process.exitCode = 1;
});
