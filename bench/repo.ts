// Export benchmark: COUNT datasets of SIZE_MB each from a local repo (directory + embedded
// PostgreSQL) into a central repo (bucket in the local Ceph RGW + schema in the local PostgreSQL),
// through transferDatasets — files streamed and checksummed, dimension records, one registry
// transaction. The peer, measured in the same run, is plain S3 PutObject of the same bytes.
// Usage: npm run bench:repo [-- --count 20 --size-mb 64]   (default: the 20 × 64 MB)

import { randomFillSync } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateBucketCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { Client } from 'pg';
import { s3ClientFor } from '../service/adapters/s3/s3-datastore';
import { datasetTypeDefinition } from '../service/domain/repo/dataset-type';
import type { StoredDataset } from '../service/registry/datasets';
import { Repo } from '../service/repo/repo';
import { transferDatasets } from '../service/repo/transfer';
import { emptyAndDelete } from './support/buckets';
import { benchDatabaseUrl, benchS3Endpoint, elapsedMs, uniqueSuffix } from './support/services';

function flag(name: string, fallback: number): number {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? Number(process.argv[index + 1]) : fallback;
}
const COUNT = flag('count', 20);
const SIZE_MB = flag('size-mb', 64);
const PEER_FILES = Math.min(COUNT, 5);
const RUN = 'LSSTCam/prompt/output-2026-11-28/ApPipe/bench';
const MB = 1024 * 1024;

async function fillLocal(repo: Repo): Promise<StoredDataset[]> {
  const r = repo.registry;
  await r.registerDatasetType(
    datasetTypeDefinition({
      name: 'preliminary_visit_image',
      dimensions: ['instrument', 'detector', 'visit'],
      storageClass: 'ExposureF',
    }),
  );
  await r.insertDimensionRecords('instrument', [{ instrument: 'LSSTCam' }]);
  await r.insertDimensionRecords(
    'detector',
    Array.from({ length: COUNT }, (_, d) => ({ instrument: 'LSSTCam', detector: d })),
  );
  await r.insertDimensionRecords('visit', [{ instrument: 'LSSTCam', visit: 2026112800042 }]);
  await r.registerCollection(RUN, 'RUN');
  const bytes = Buffer.alloc(SIZE_MB * MB);
  const datasets: StoredDataset[] = [];
  for (let detector = 0; detector < COUNT; detector++) {
    randomFillSync(bytes, 0, 4096); // a different checksum per file without regenerating 64 MB
    datasets.push(
      await repo.put(
        'preliminary_visit_image',
        { instrument: 'LSSTCam', detector, visit: 2026112800042 },
        RUN,
        bytes,
        'fits',
      ),
    );
  }
  return datasets;
}

async function main(): Promise<void> {
  const endpoint = benchS3Endpoint();
  const s3 = s3ClientFor({ endpoint });
  const suffix = uniqueSuffix();
  const bucket = `bench-repo-${suffix}`;
  const namespace = `bench_repo_${suffix}`;
  const dir = mkdtempSync(join(tmpdir(), 'pp-bench-repo-'));
  await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  const central = await Repo.create(`s3://${bucket}/central`, {
    s3: { endpoint },
    registryDb: benchDatabaseUrl(),
    namespace,
  });
  const local = await Repo.create(join(dir, 'local'));
  try {
    await central.registry.registerDatasetType(
      datasetTypeDefinition({
        name: 'preliminary_visit_image',
        dimensions: ['instrument', 'detector', 'visit'],
        storageClass: 'ExposureF',
      }),
    );
    const datasets = await fillLocal(local);

    const peerBytes = Buffer.alloc(SIZE_MB * MB, 7);
    let start = process.hrtime.bigint();
    for (let i = 0; i < PEER_FILES; i++)
      await s3.send(
        new PutObjectCommand({
          Bucket: bucket,
          Key: `peer/${i}.fits`,
          Body: peerBytes,
          ContentLength: peerBytes.length,
        }),
      );
    const peerMs = elapsedMs(start);

    start = process.hrtime.bigint();
    const report = await transferDatasets(local, central, datasets);
    const exportMs = elapsedMs(start);
    const check = await central.registry.queryDatasets({
      datasetType: 'preliminary_visit_image',
      collections: [RUN],
    });
    if (check.length !== COUNT || report.transferred !== COUNT) throw new Error('export lost datasets');

    const mbPerS = (bytes: number, ms: number) => Math.round((bytes / MB / (ms / 1000)) * 10) / 10;
    process.stdout.write(
      `${JSON.stringify(
        {
          benchmark: 'repo-export',
          datasets: COUNT,
          sizeMB: SIZE_MB,
          totalMB: COUNT * SIZE_MB,
          exportSeconds: Math.round(exportMs) / 1000,
          exportMBperS: mbPerS(report.bytes, exportMs),
          perDatasetMs: Math.round(exportMs / COUNT),
          peerPlainPutObject: { files: PEER_FILES, MBperS: mbPerS(PEER_FILES * SIZE_MB * MB, peerMs) },
          note: 'one export per run (with set-up, the 1.28 GB default takes about half a minute); files stream from disk, sha256 verified in flight',
        },
        null,
        2,
      )}\n`,
    );
  } finally {
    await Promise.allSettled([central.close(), local.close()]);
    rmSync(dir, { recursive: true, force: true });
    await emptyAndDelete(s3, bucket);
    s3.destroy();
    const client = new Client({ connectionString: benchDatabaseUrl() });
    await client.connect();
    await client.query(`DROP SCHEMA IF EXISTS "${namespace}" CASCADE`);
    await client.end();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench:repo: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
