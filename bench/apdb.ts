// APDB store and region-read benchmark on the local PostgreSQL: per run, one detector's association
// output — 1,000 DiaSources, 250 DiaForcedSources, 1,000 DiaObject versions (half new, half
// updating objects from the previous visit) — stored in one transaction, then the detector-sized
// region read. Median and p95 over RUNS; the same workload on embedded PostgreSQL (PGlite) is the
// peer. Usage: npm run bench:apdb [-- --runs N --sources N]
import { Client } from 'pg';
import { Apdb } from '../service/apdb/apdb';
import { apdbLocation } from '../service/domain/apdb/apdb-location';
import type {
  DiaObjectRecord,
  DiaSourceRecord,
  VisitDetectorCatalogs,
} from '../service/domain/apdb/apdb-records';
import { seededUniform } from '../service/domain/synthetic/random';
import { benchDatabaseUrl, elapsedMs, percentile, uniqueSuffix } from './support/services';

const GOAL_STORE_MS = 100;

function flag(name: string, fallback: number): number {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? Number(process.argv[index + 1]) : fallback;
}
const RUNS = flag('runs', 20);
const SOURCES = flag('sources', 1000);
const REGION = { raDeg: 149.28, decDeg: 2.93, radiusDeg: 0.16 };

/** Visit `run`'s catalogs; its first half of objects are the previous visit's second half. */
function catalogs(run: number): VisitDetectorCatalogs {
  const next = seededUniform(run + 1);
  const visit = 2026112800000n + BigInt(run);
  const time = 61007 + run * 0.001;
  const idOf = (r: number, i: number) => (2026112800000n + BigInt(r)) * 1_000_000n + BigInt(i);
  const sources: DiaSourceRecord[] = [];
  const objects: DiaObjectRecord[] = [];
  for (let i = 0; i < SOURCES; i++) {
    const reuse = run > 0 && i < SOURCES / 2;
    const diaObjectId = reuse ? idOf(run - 1, i + SOURCES / 2) : idOf(run, i);
    const ra = REGION.raDeg + (2 * next() - 1) * 0.11;
    const dec = REGION.decDeg + (2 * next() - 1) * 0.11;
    sources.push({
      diaSourceId: idOf(run, i),
      diaObjectId,
      midpointMjdTai: time,
      ra,
      dec,
      x: 4000 * next(),
      y: 4000 * next(),
      psfFlux: 1200,
      psfFluxErr: 30,
      snr: 40,
      band: 'r',
      bboxSize: 15,
    });
    objects.push({
      diaObjectId,
      ra,
      dec,
      nDiaSources: reuse ? 2 : 1,
      firstDiaSourceMjdTai: time,
      lastDiaSourceMjdTai: time,
      psfFlux: { r: { mean: 1200, meanErr: 30, ndata: 1 } },
    });
  }
  return {
    visit,
    detector: 0,
    visitTimeMjdTai: time,
    processedMjdTai: time,
    diaSources: sources,
    diaObjects: objects,
    diaForcedSources: objects.slice(0, SOURCES / 4).map((o, i) => ({
      diaForcedSourceId: idOf(run, 500_000 + i),
      diaObjectId: o.diaObjectId,
      ra: o.ra,
      dec: o.dec,
      midpointMjdTai: time,
      psfFlux: 10,
      psfFluxErr: 3,
    })),
  };
}

async function measure(apdb: Apdb) {
  await apdb.create();
  await apdb.store(catalogs(0)); // warm-up: connections, plans, JIT of our code
  const store: number[] = [];
  const read: number[] = [];
  let found = 0;
  for (let run = 1; run <= RUNS; run++) {
    const input = catalogs(run);
    let start = process.hrtime.bigint();
    const result = await apdb.store(input);
    store.push(elapsedMs(start));
    if (!result.stored) throw new Error(`run ${run} was not stored`);
    start = process.hrtime.bigint();
    found = (await apdb.readDiaObjectsInRegion(REGION)).length;
    read.push(elapsedMs(start));
  }
  return {
    storeMs: { median: percentile(store, 50), p95: percentile(store, 95) },
    regionReadMs: { median: percentile(read, 50), p95: percentile(read, 95), objectsReturned: found },
  };
}

async function main(): Promise<void> {
  const namespace = `bench_apdb_${uniqueSuffix()}`;
  const url = benchDatabaseUrl();
  const postgres = await Apdb.open(apdbLocation(url, namespace));
  let result: Awaited<ReturnType<typeof measure>>;
  try {
    result = await measure(postgres);
  } finally {
    await postgres.close();
    const client = new Client({ connectionString: url });
    await client.connect();
    await client.query(`DROP SCHEMA IF EXISTS "${namespace}" CASCADE`);
    await client.end();
  }
  const embedded = await Apdb.open(apdbLocation('memory:', 'bench'));
  const peer = await measure(embedded).finally(() => embedded.close());
  process.stdout.write(
    `${JSON.stringify(
      {
        benchmark: 'apdb',
        runs: RUNS,
        perRun: {
          diaSources: SOURCES,
          diaForcedSources: SOURCES / 4,
          diaObjectVersions: SOURCES,
          updatedObjects: SOURCES / 2,
        },
        postgresql: result,
        goalStoreMs: GOAL_STORE_MS,
        storeMeetsGoal: result.storeMs.median <= GOAL_STORE_MS,
        peerEmbeddedPglite: peer,
      },
      null,
      2,
    )}\n`,
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`bench:apdb: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
