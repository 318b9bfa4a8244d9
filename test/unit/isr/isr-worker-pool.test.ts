import { afterAll, describe, expect, it } from 'vitest';
import { runIsr } from '../../../service/pipeline/tasks/isr/isr';
import { DEFAULT_ISR_CONFIG } from '../../../service/pipeline/tasks/isr/isr-config';
import { IsrWorkerError, IsrWorkerPool } from '../../../service/pipeline/tasks/isr/isr-worker-pool';
import { makeMasterCalibrations } from '../../../tester/synthetic/master-calibrations';
import { simulateRaw } from '../../../tester/synthetic/simulate-raw';
import { ampBiases, scaledDetector } from './scaled-detector';

describe('ISR in worker threads', () => {
  const pool = new IsrWorkerPool(2);
  afterAll(() => pool.close());
  const geometry = scaledDetector('R22_S11', 6);
  const calibrations = makeMasterCalibrations(geometry, { seed: 2 });
  const electrons = new Float32Array(geometry.width * geometry.height).fill(800);
  const { raw } = simulateRaw({
    geometry,
    seed: 31,
    electrons,
    flat: calibrations.flat,
    ampBias: ampBiases(16, 7),
  });

  it('gives exactly the single-threaded result', async () => {
    const inputs = { raw, calibrations: { flat: calibrations.flat } };
    const threaded = await pool.runIsr(inputs);
    const single = runIsr(inputs);
    expect(threaded.amps).toEqual(single.amps);
    expect(
      Buffer.from(threaded.exposure.image.buffer).equals(Buffer.from(single.exposure.image.buffer)),
    ).toBe(true);
    expect(
      Buffer.from(threaded.exposure.variance.buffer).equals(Buffer.from(single.exposure.variance.buffer)),
    ).toBe(true);
  });

  it('fails with the worker error when an amp cannot be processed', async () => {
    const broken = {
      ...DEFAULT_ISR_CONFIG,
      overscan: { ...DEFAULT_ISR_CONFIG.overscan, leadingColumnsToSkip: 200 },
    };
    await expect(pool.assembleWithOverscan(raw, broken)).rejects.toThrow(IsrWorkerError);
    expect(() => new IsrWorkerPool(0)).toThrow(/positive integer/);
  });
});
