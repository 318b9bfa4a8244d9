// make-unobserved: simulates a pool (curated or random) and writes it to the users bucket under
// `unobserved/<INST>/`: each raw at its pool key, LSST sidecars beside them, a truth table per raw,
// and pool.json last, so a pool without its manifest is visibly incomplete.

import type { LsstAmpSize } from '../../service/domain/camera-geometry/amp-layout';
import type { InstrumentName } from '../../service/domain/instruments';
import type { ObjectBucket } from '../../service/ports/object-bucket';
import type { CuratedPool } from './curated-groups';
import { type PoolManifest, type PoolManifestGroup, poolPrefix } from './pool-manifest';
import { type PoolRaw, type PoolRawOptions, simulatePoolRaw } from './simulate-pool-raw';

export interface MakeUnobservedOptions {
  readonly bucket: ObjectBucket;
  readonly pool: CuratedPool;
  readonly kind: 'curated' | 'random';
  readonly ampSize?: LsstAmpSize;
  readonly compress?: boolean;
  readonly nowUtc: Date;
  /** Called after each raw is stored (progress bars). */
  readonly onRaw?: (bytes: number) => void;
  /** Simulates one raw; e.g. PoolSimulators on worker threads. @default simulatePoolRaw, in turn */
  readonly simulate?: (options: PoolRawOptions) => Promise<PoolRaw>;
}

export interface MakeUnobservedReport {
  readonly manifestKey: string;
  readonly manifest: PoolManifest;
  readonly raws: number;
  readonly bytes: number;
}

export function poolRawCount(pool: CuratedPool): number {
  return pool.groups.reduce((n, g) => n + g.detectors.length, 0);
}

export async function makeUnobserved(options: MakeUnobservedOptions): Promise<MakeUnobservedReport> {
  const { bucket, pool } = options;
  await bucket.check();
  const prefix = poolPrefix(pool.instrument as InstrumentName, options.kind);
  const groups: PoolManifestGroup[] = [];
  let bytes = 0;
  const rawOptions = (group: CuratedPool['groups'][number], groupIndex: number, detector: number) => ({
    instrument: pool.instrument,
    group,
    groupIndex,
    detector,
    ...(options.ampSize ? { ampSize: options.ampSize } : {}),
    ...(options.compress ? { compress: true } : {}),
  });
  // With a simulator (worker threads) every raw is asked for at once and they are stored in pool
  // order; without, each raw is simulated when its turn comes, so only one is in memory at a time.
  const { simulate } = options;
  const requested = simulate
    ? pool.groups.map((group, groupIndex) =>
        group.detectors.map((d) => simulate(rawOptions(group, groupIndex, d))),
      )
    : undefined;
  for (const row of requested ?? []) for (const raw of row) raw.catch(() => undefined);
  for (const [groupIndex, group] of pool.groups.entries()) {
    const raws: PoolManifestGroup['raws'] = [];
    for (const [detectorIndex, detector] of group.detectors.entries()) {
      const raw =
        (await requested?.[groupIndex]?.[detectorIndex]) ??
        simulatePoolRaw(rawOptions(group, groupIndex, detector));
      const stem = `${prefix}${group.name}/${pool.instrument}-${group.name}-${detector}`;
      const key = `${stem}${raw.extension}`;
      const truthKey = `${stem}.truth.json`;
      await bucket.put(key, raw.bytes, 'application/fits');
      await bucket.put(truthKey, JSON.stringify(raw.truth), 'application/json');
      let sidecarKey: string | undefined;
      if (raw.sidecar) {
        sidecarKey = `${stem}.json`;
        await bucket.put(sidecarKey, JSON.stringify(raw.sidecar), 'application/json');
      }
      raws.push({
        detector,
        key,
        truthKey,
        extension: raw.extension,
        sizeBytes: raw.bytes.length,
        ...(sidecarKey ? { sidecarKey } : {}),
      });
      bytes += raw.bytes.length;
      options.onRaw?.(raw.bytes.length);
    }
    groups.push({ ...group, detectors: [...group.detectors], raws });
  }
  const manifest: PoolManifest = {
    instrument: pool.instrument,
    kind: options.kind,
    createdUtc: options.nowUtc.toISOString(),
    groups,
  };
  const manifestKey = `${prefix}pool.json`;
  await bucket.put(manifestKey, JSON.stringify(manifest, null, 1), 'application/json');
  return { manifestKey, manifest, raws: poolRawCount(pool), bytes };
}
