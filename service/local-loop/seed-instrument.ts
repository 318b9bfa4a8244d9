// Makes an instrument ready for the loop, once: a central repo seeded for the curated groups' sky
// (calibrations, templates, refcats, skymap) and the curated pool of raws in the users bucket. A
// marker in the users bucket records a finished seeding and its version, so later runs skip straight
// to the visits (or, after a seeding change, add what the repo lacks).
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { CURATED_POOLS } from '../../tester/pool/curated-groups';
import { makeUnobserved } from '../../tester/pool/make-unobserved';
import { poolPrefix } from '../../tester/pool/pool-manifest';
import { PoolSimulators } from '../../tester/pool/pool-simulators';
import { seedCentralRepo } from '../../tester/seed/seed-central-repo';
import type { LsstAmpSize } from '../domain/camera-geometry/amp-layout';
import type { InstrumentName } from '../domain/instruments';
import type { ObjectBucket } from '../ports/object-bucket';
import type { InstrumentBackends } from './loop-backends';

export type SeedProgress = (message: string) => void;

export interface SeedOutcome {
  readonly seeded: boolean;
  readonly pooled: boolean;
  readonly seconds: number;
}

/** The users-bucket object that records a finished seeding of an instrument. */
export const seedMarkerKey = (instrument: InstrumentName) => `local-loop/seeded-${instrument}.json`;

async function exists(bucket: ObjectBucket, key: string): Promise<boolean> {
  return (await bucket.get(key)) !== undefined;
}

/**
 * What the seeding writes, versioned: a repo seeded by an older version is seeded again, which
 * adds only what it lacks (datasets already there are kept). 2: the defects calibration.
 */
export const SEED_VERSION = 2;

async function seededVersion(bucket: ObjectBucket, instrument: InstrumentName): Promise<number | undefined> {
  const marker = await bucket.get(seedMarkerKey(instrument));
  if (marker === undefined) return undefined;
  try {
    const version = (JSON.parse(Buffer.from(marker).toString('utf8')) as { seedVersion?: unknown })
      .seedVersion;
    return typeof version === 'number' ? version : 1;
  } catch {
    return 1;
  }
}

const secondsSince = (start: number) => ((performance.now() - start) / 1000).toFixed(1);

export async function ensureSeeded(
  backends: InstrumentBackends,
  repoRoot: string,
  progress: SeedProgress,
  ampSize?: LsstAmpSize,
): Promise<SeedOutcome> {
  const started = performance.now();
  const instrument = backends.instrument.name;
  const pool = CURATED_POOLS[instrument];
  const needsSeed = (await seededVersion(backends.usersBucket, instrument)) !== SEED_VERSION;
  const needsPool = !(await exists(backends.usersBucket, `${poolPrefix(instrument, 'curated')}pool.json`));
  // The raws are simulated on worker threads while the main thread seeds the repo.
  const simulators = needsPool
    ? new PoolSimulators(Math.max(1, Math.min(availableParallelism(), 4)))
    : undefined;
  try {
    await Promise.all([
      needsSeed
        ? (async () => {
            progress(`${instrument}: seeding the central repo (calibrations, templates, refcats)…`);
            const report = await seedCentralRepo({
              repo: backends.central,
              pool,
              pipelinesDir: join(repoRoot, 'pipelines'),
              ...(ampSize ? { ampSize } : {}),
            });
            await backends.usersBucket.put(
              seedMarkerKey(instrument),
              JSON.stringify({ seedVersion: SEED_VERSION, ...report }),
              'application/json',
            );
            progress(`${instrument}: central repo seeded in ${secondsSince(started)} s`);
          })()
        : undefined,
      simulators
        ? (async () => {
            progress(`${instrument}: simulating the curated raws (${pool.groups.length} groups)…`);
            await makeUnobserved({
              bucket: backends.usersBucket,
              pool,
              kind: 'curated',
              nowUtc: new Date(),
              simulate: (options) => simulators.simulate(options),
              ...(ampSize ? { ampSize } : {}),
            });
            progress(`${instrument}: curated raws simulated in ${secondsSince(started)} s`);
          })()
        : undefined,
    ]);
  } finally {
    await simulators?.close();
  }
  const seeded = needsSeed;
  const pooled = needsPool;
  return { seeded, pooled, seconds: (performance.now() - started) / 1000 };
}
