// Pool raws simulated on worker threads are byte-identical to the same raws simulated in-process,
// and makeUnobserved stores them in pool order whichever finishes first.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FileObjectBucket } from '../../../service/adapters/filesystem/file-object-bucket';
import { CURATED_POOLS } from '../../../tester/pool/curated-groups';
import { makeUnobserved } from '../../../tester/pool/make-unobserved';
import { PoolSimulators } from '../../../tester/pool/pool-simulators';
import { simulatePoolRaw } from '../../../tester/pool/simulate-pool-raw';

const AMP = { dataWidth: 32, dataHeight: 32 };

describe('PoolSimulators', () => {
  it('simulates on worker threads exactly what simulatePoolRaw makes in-process', async () => {
    const simulators = new PoolSimulators(2);
    try {
      const group = CURATED_POOLS.LATISS.groups[1];
      if (!group) throw new Error('no group');
      const options = { instrument: 'LATISS' as const, group, groupIndex: 1, detector: 0, ampSize: AMP };
      const [fromWorker, again] = await Promise.all([
        simulators.simulate(options),
        simulators.simulate(options),
      ]);
      const local = simulatePoolRaw(options);
      expect(Buffer.from(fromWorker.bytes).equals(Buffer.from(local.bytes))).toBe(true);
      expect(Buffer.from(again.bytes).equals(Buffer.from(local.bytes))).toBe(true);
      expect(fromWorker.truth).toEqual(local.truth);
    } finally {
      await simulators.close();
    }
  }, 60_000);

  it('feeds makeUnobserved, which writes the same pool as without workers', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'pp-pool-'));
    const simulators = new PoolSimulators(2);
    try {
      const withWorkers = await new FileObjectBucket(join(dir, 'a')).create();
      const inProcess = await new FileObjectBucket(join(dir, 'b')).create();
      const nowUtc = new Date('2026-11-28T00:00:00Z');
      const pool = CURATED_POOLS.LSSTComCam;
      const a = await makeUnobserved({
        bucket: withWorkers,
        pool,
        kind: 'curated',
        ampSize: AMP,
        nowUtc,
        simulate: (o) => simulators.simulate(o),
      });
      const b = await makeUnobserved({ bucket: inProcess, pool, kind: 'curated', ampSize: AMP, nowUtc });
      expect(a.manifest).toEqual(b.manifest);
      const keys = await withWorkers.list('');
      expect(keys).toEqual(await inProcess.list(''));
      for (const key of keys)
        expect(
          Buffer.from((await withWorkers.get(key)) ?? []).equals(
            Buffer.from((await inProcess.get(key)) ?? []),
          ),
        ).toBe(true);
    } finally {
      await simulators.close();
      await rm(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
