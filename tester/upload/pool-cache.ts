// The pool as upload reads it: the manifest, then each raw's bytes, sidecar and truth fetched once
// and kept in memory, so replaying a group many times downloads it once.

import type { InstrumentName } from '../../service/domain/instruments';
import type { ObjectBucket } from '../../service/ports/object-bucket';
import {
  type PoolManifest,
  type PoolManifestRaw,
  PoolMissingError,
  parsePoolManifest,
  poolPrefix,
} from '../pool/pool-manifest';
import type { PoolRawTruth } from '../pool/simulate-pool-raw';

export interface CachedRaw {
  readonly bytes: Uint8Array;
  readonly truth: PoolRawTruth;
}

export class PoolCache {
  private readonly raws = new Map<string, Promise<CachedRaw>>();

  private constructor(
    private readonly bucket: ObjectBucket,
    readonly manifest: PoolManifest,
  ) {}

  static async open(bucket: ObjectBucket, instrument: InstrumentName, kind: 'curated' | 'random') {
    await bucket.check();
    const key = `${poolPrefix(instrument, kind)}pool.json`;
    const bytes = await bucket.get(key);
    if (!bytes)
      throw new PoolMissingError(
        `no pool at ${bucket.location}/${key}: run "prompt-tester make-unobserved ${instrument}${kind === 'random' ? ' --random-pool' : ''}" first`,
      );
    return new PoolCache(
      bucket,
      parsePoolManifest(Buffer.from(bytes).toString('utf8'), `${bucket.location}/${key}`),
    );
  }

  raw(entry: PoolManifestRaw): Promise<CachedRaw> {
    let cached = this.raws.get(entry.key);
    if (!cached) {
      cached = this.fetch(entry);
      this.raws.set(entry.key, cached);
    }
    return cached;
  }

  private async fetch(entry: PoolManifestRaw): Promise<CachedRaw> {
    const [bytes, truth] = await Promise.all([this.bucket.get(entry.key), this.bucket.get(entry.truthKey)]);
    if (!bytes || !truth)
      throw new PoolMissingError(
        `pool object ${this.bucket.location}/${bytes ? entry.truthKey : entry.key} is missing: rerun make-unobserved`,
      );
    return { bytes, truth: JSON.parse(Buffer.from(truth).toString('utf8')) as PoolRawTruth };
  }
}
