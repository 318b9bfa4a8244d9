import { describe, expect, it } from 'vitest';
import type { AmpGeometry } from '../../../service/domain/camera-geometry';
import { MaskBit } from '../../../service/domain/image/mask-bits';
import { CalibrationError } from '../../../service/pipeline/tasks/isr/calibrations';
import { runIsr } from '../../../service/pipeline/tasks/isr/isr';
import { DEFAULT_ISR_CONFIG, isrConfigFrom } from '../../../service/pipeline/tasks/isr/isr-config';
import {
  fitOverscan,
  OverscanError,
  usedOverscanColumns,
} from '../../../service/pipeline/tasks/isr/overscan';
import { makeMasterCalibrations } from '../../../tester/synthetic/master-calibrations';
import { simulateRaw } from '../../../tester/synthetic/simulate-raw';
import { ampBiases, boxMean, scaledDetector } from './scaled-detector';

const SKY = 1000;
const geometry = scaledDetector();
const pixels = geometry.width * geometry.height;
const flatSky = new Float32Array(pixels).fill(SKY);

/**
 * σ of an amp's recovered bias (ADU): each row's level is the median of the used overscan columns,
 * σ_row = √(π/2)·σ/√n for Gaussian noise σ (read noise in ADU, plus 1/12 ADU² of rounding), and the
 * amp's level averages the data rows: σ_row/√rows.
 */
function biasSigma(amp: AmpGeometry): number {
  const n = usedOverscanColumns(amp, DEFAULT_ISR_CONFIG.overscan).count;
  const sigmaAdu = Math.sqrt((amp.readNoise / amp.gain) ** 2 + 1 / 12);
  return (Math.sqrt(Math.PI / 2) * sigmaAdu) / Math.sqrt(n) / Math.sqrt(amp.layout.data.height);
}

describe('ISR on a synthetic raw', () => {
  const biases = ampBiases(16, 3);
  const synthetic = simulateRaw({ geometry, seed: 21, electrons: flatSky, ampBias: biases });
  const result = runIsr({ raw: synthetic.raw });

  it('recovers the injected bias of every amp within 5σ of its overscan noise', () => {
    result.amps.forEach((stats, a) => {
      const amp = geometry.amps[a] as AmpGeometry;
      const bias = biases[a];
      if (!bias) throw new Error('no bias');
      const meanRow = amp.layout.data.y0 + (amp.layout.data.height - 1) / 2;
      const injected = bias.level + bias.rowSlope * meanRow;
      expect(Math.abs(stats.overscanLevel - injected)).toBeLessThan(5 * biasSigma(amp));
      // And the tolerance (128 rows here) is tight enough to notice a half-ADU error.
      expect(5 * biasSigma(amp)).toBeLessThan(0.5);
    });
  });

  it('measures each amp read noise from its overscan within 5 %', () => {
    result.amps.forEach((stats, a) => {
      const amp = geometry.amps[a] as AmpGeometry;
      const expected = Math.sqrt((amp.readNoise / amp.gain) ** 2 + 1 / 12);
      expect(stats.overscanNoise / expected).toBeGreaterThan(0.95);
      expect(stats.overscanNoise / expected).toBeLessThan(1.05);
    });
  });

  it('leaves every amp at the sky level in electrons (bias and gain removed) within 5σ', () => {
    const { image } = result.exposure;
    for (const amp of geometry.amps) {
      const { mean, count } = boxMean(image, geometry.width, amp.bbox);
      // Pixel noise averages down over the amp; the per-row bias error is shared along a row.
      const rowError = biasSigma(amp) * Math.sqrt(amp.layout.data.height) * amp.gain;
      const sigma = Math.sqrt((SKY + amp.readNoise ** 2) / count + rowError ** 2 / amp.layout.data.height);
      expect(Math.abs(mean - SKY)).toBeLessThan(5 * sigma);
    }
  });

  it('produces a variance plane whose normalised residuals have mean ≈ 0 and σ ≈ 1', () => {
    const { image, variance } = result.exposure;
    let sum = 0;
    let sumSq = 0;
    for (let i = 0; i < pixels; i++) {
      const z = ((image[i] as number) - SKY) / Math.sqrt(variance[i] as number);
      sum += z;
      sumSq += z * z;
    }
    const mean = sum / pixels;
    const sigma = Math.sqrt(sumSq / pixels - mean * mean);
    // σ of a sample σ is 1/√(2N) (0.0022 here): 5 of those. The variance comes from the noisy pixel
    // itself, which biases the mean by about −1/(2√V) ≈ −0.016: allow that plus 5/√N.
    expect(Math.abs(sigma - 1)).toBeLessThan(5 / Math.sqrt(2 * pixels));
    expect(Math.abs(mean + 1 / (2 * Math.sqrt(SKY + 40)))).toBeLessThan(5 / Math.sqrt(pixels));
  });

  it('fits the bias with a polynomial in row number or clipped row means as well', () => {
    for (const serialFit of ['polynomial', 'mean-per-row'] as const) {
      const config = isrConfigFrom({ overscan: { serialFit, polynomialOrder: 1 } });
      const fitted = runIsr({ raw: synthetic.raw }, config);
      fitted.amps.forEach((stats, a) => {
        const bias = biases[a];
        const amp = geometry.amps[a] as AmpGeometry;
        if (!bias) throw new Error('no bias');
        const injected = bias.level + bias.rowSlope * ((amp.layout.data.height - 1) / 2);
        expect(Math.abs(stats.overscanLevel - injected)).toBeLessThan(5 * biasSigma(amp));
      });
    }
  });
});

describe('ISR in the read-noise-dominated regime', () => {
  it('keeps normalised residuals near unit width at 5 e- per pixel (Poisson by exact inversion)', () => {
    const faint = 5;
    const synthetic = simulateRaw({
      geometry,
      seed: 25,
      electrons: new Float32Array(pixels).fill(faint),
      ampBias: ampBiases(16, 8),
    });
    const { image, variance } = runIsr({ raw: synthetic.raw }).exposure;
    let sum = 0;
    let sumSq = 0;
    for (let i = 0; i < pixels; i++) {
      const z = ((image[i] as number) - faint) / Math.sqrt(variance[i] as number);
      sum += z;
      sumSq += z * z;
    }
    const mean = sum / pixels;
    const sigma = Math.sqrt(sumSq / pixels - mean * mean);
    // Flooring the signal at 0 overestimates the variance a little here (≈ 1 e² of ≈ 45): σ ≈ 0.99.
    expect(sigma).toBeGreaterThan(0.97);
    expect(sigma).toBeLessThan(1 + 5 / Math.sqrt(2 * pixels));
    // The variance comes from the noisy pixel: z is pulled negative by up to 1/(2σ) ≈ 0.07 at σ ≈ 7 e-.
    expect(mean).toBeLessThan(0);
    expect(mean).toBeGreaterThan(-0.1);
  });
});

describe('parallel overscan', () => {
  it('removes a column pattern that the serial overscan cannot see', () => {
    const biases = ampBiases(16, 4, 10);
    const raw = simulateRaw({ geometry, seed: 22, electrons: flatSky, ampBias: biases }).raw;
    const amp = geometry.amps[0] as AmpGeometry;
    const fit = fitOverscan(raw.images[0] as never, amp, {
      ...DEFAULT_ISR_CONFIG.overscan,
      parallelFit: 'median-per-column',
    });
    // Per column: the median of 48 parallel-overscan rows, σ ≈ √(π/2)·σ_ADU/√48.
    const sigma =
      (Math.sqrt(Math.PI / 2) * Math.sqrt((amp.readNoise / amp.gain) ** 2 + 1 / 12)) / Math.sqrt(48);
    let worst = 0;
    for (let c = 0; c < amp.layout.data.width; c++) {
      const injected = 10 * Math.sin((2 * Math.PI * c) / 37);
      worst = Math.max(worst, Math.abs((fit.columnLevels[c] as number) - injected) / sigma);
    }
    expect(worst).toBeLessThan(5);
    const without = runIsr({ raw }, isrConfigFrom({}));
    const withParallel = runIsr({ raw }, isrConfigFrom({ overscan: { parallelFit: 'median-per-column' } }));
    // Column means of 128 sky pixels scatter by ≈ 2.8 e- alone; the 10-ADU ripple adds ≈ 10 e- rms.
    expect(columnScatter(withParallel.exposure.image)).toBeLessThan(
      0.4 * columnScatter(without.exposure.image),
    );
  });
});

/** RMS over columns of the column means of amp C00's region (bottom-left amp). */
function columnScatter(image: Float32Array): number {
  const amp = geometry.amps[15] as AmpGeometry;
  const means: number[] = [];
  for (let x = amp.bbox.x0; x < amp.bbox.x0 + amp.bbox.width; x++) {
    means.push(
      boxMean(image, geometry.width, { x0: x, y0: amp.bbox.y0, width: 1, height: amp.bbox.height }).mean,
    );
  }
  const m = means.reduce((a, b) => a + b, 0) / means.length;
  return Math.sqrt(means.reduce((a, b) => a + (b - m) ** 2, 0) / means.length);
}

describe('ISR with master calibrations', () => {
  const calibrations = makeMasterCalibrations(geometry, {
    seed: 8,
    flatGradient: 0.4,
    flatPixelRms: 0.03,
    darkCurrent: 0.5,
    hotColumns: 1,
  });
  const darkTime = 40;
  const synthetic = simulateRaw({
    geometry,
    seed: 23,
    electrons: flatSky,
    flat: calibrations.flat,
    darkCurrent: calibrations.dark,
    darkTimeSeconds: darkTime,
    biasStructure: calibrations.bias,
    defects: calibrations.defects,
    ampBias: ampBiases(16, 5),
  });
  const defects = calibrations.defects.map((d) => d.box);
  const isr = (config = DEFAULT_ISR_CONFIG) =>
    runIsr(
      { raw: synthetic.raw, calibrations: { ...calibrations, defects }, darkTimeSeconds: darkTime },
      config,
    );
  const corrected = isr();
  const bad = (mask: Uint16Array) => (i: number) => (mask[i] as number) !== 0;

  it('flattens the field: the residual does not follow the flat (slope of image on flat ≈ 0 within 5σ)', () => {
    const { image, mask, variance } = corrected.exposure;
    const slope = regressionSlope(calibrations.flat, image, bad(mask));
    expect(Math.abs(slope.value)).toBeLessThan(5 * slope.sigma);
    // The test can fail: without the flat the slope is the sky level itself.
    const unflattened = isr(isrConfigFrom({ doFlat: false })).exposure;
    expect(
      regressionSlope(calibrations.flat, unflattened.image, bad(unflattened.mask)).value,
    ).toBeGreaterThan(0.8 * SKY);
    expect(variance.every((v) => v > 0)).toBe(true);
  });

  it('brings every amp to the sky level within 5σ after bias, dark and flat', () => {
    const { image, mask, variance } = corrected.exposure;
    for (const amp of geometry.amps) {
      const { mean, count } = boxMean(image, geometry.width, amp.bbox, bad(mask));
      const meanVariance = boxMean(variance, geometry.width, amp.bbox, bad(mask)).mean;
      // Pixel noise (from the variance plane) averaged over the amp, plus the overscan's per-row error
      // (× 1.25: dividing by the flat, down to 0.8, scales it up).
      const rowError = biasSigma(amp) * Math.sqrt(amp.layout.data.height) * amp.gain * 1.25;
      const sigma = Math.sqrt(meanVariance / count + rowError ** 2 / amp.layout.data.height);
      expect(Math.abs(mean - SKY)).toBeLessThan(5 * sigma);
    }
  });

  it('flags every defect BAD and nothing else', () => {
    const { mask } = corrected.exposure;
    for (const { box } of calibrations.defects) {
      const i = box.y0 * geometry.width + box.x0;
      expect((mask[i] as number) & MaskBit.BAD).toBe(MaskBit.BAD);
    }
    const flagged = mask.reduce((n, m) => n + ((m & MaskBit.BAD) !== 0 ? 1 : 0), 0);
    const inDefects = new Set<number>();
    for (const { box } of calibrations.defects) {
      for (let y = box.y0; y < box.y0 + box.height; y++)
        for (let x = box.x0; x < box.x0 + box.width; x++) inDefects.add(y * geometry.width + x);
    }
    expect(flagged).toBe(inDefects.size);
    expect(mask.every((m) => (m & (MaskBit.NO_DATA | MaskBit.SAT)) === 0)).toBe(true);
    const interpolated = mask.reduce((n, m) => n + ((m & MaskBit.INTRP) !== 0 ? 1 : 0), 0);
    expect(interpolated).toBe(inDefects.size);
  });

  it('interpolates over the defects: hot columns and dead pixels come back to the sky', () => {
    const { image, variance } = corrected.exposure;
    const withoutInterpolation = isr(isrConfigFrom({ doInterpolate: false })).exposure.image;
    for (const { box, kind } of calibrations.defects) {
      const row = Math.floor(box.y0 + box.height / 2) * geometry.width;
      const i = row + box.x0;
      // Interpolated between two sky pixels: within 6σ of the sky (σ from the variance plane).
      expect(Math.abs((image[i] as number) - SKY)).toBeLessThan(6 * Math.sqrt(variance[i] as number));
      // Without interpolation a dead pixel reads far below the sky and a hot one (after the dark) above.
      const raw = withoutInterpolation[i] as number;
      if (kind === 'dead') expect(raw).toBeLessThan(SKY / 2);
    }
  });

  it('fails when a calibration is not the size of the detector', () => {
    expect(() => runIsr({ raw: synthetic.raw, calibrations: { flat: new Float32Array(10) } })).toThrow(
      CalibrationError,
    );
    expect(() => runIsr({ raw: synthetic.raw, calibrations: { bias: new Float32Array(10) } })).toThrow(
      /master bias has 10 pixels/,
    );
  });
});

describe('saturation', () => {
  it('flags pixels whose raw value reached the amp saturation level SAT, and only those', () => {
    const electrons = new Float32Array(flatSky);
    // A bright square in amp C00's region (bottom-left, unflipped on this ITL detector in y).
    for (let y = 10; y < 14; y++) for (let x = 20; x < 24; x++) electrons[y * geometry.width + x] = 1e6;
    const synthetic = simulateRaw({ geometry, seed: 24, electrons, ampBias: ampBiases(16, 6) });
    const { mask } = runIsr({ raw: synthetic.raw }).exposure;
    const saturated: number[] = [];
    mask.forEach((m, i) => {
      if (m & MaskBit.SAT) saturated.push(i);
    });
    expect(saturated).toHaveLength(16);
    expect(
      saturated.every((i) => Math.floor(i / geometry.width) >= 10 && Math.floor(i / geometry.width) < 14),
    ).toBe(true);
    expect(synthetic.truth.amps.reduce((n, a) => n + a.saturatedPixels, 0)).toBe(16);
  });
});

describe('configuration', () => {
  it('fails on unknown options and on overscans with no columns left', () => {
    expect(() => isrConfigFrom({ doOverscan: true })).toThrow(/doOverscan/);
    const amp = geometry.amps[0] as AmpGeometry;
    const raw = simulateRaw({ geometry, seed: 1, electrons: flatSky }).raw;
    expect(() =>
      fitOverscan(raw.images[0] as never, amp, {
        ...DEFAULT_ISR_CONFIG.overscan,
        leadingColumnsToSkip: 40,
        trailingColumnsToSkip: 24,
      }),
    ).toThrow(OverscanError);
  });
});

/** Least-squares slope of y on x over unskipped pixels, with its standard error. */
function regressionSlope(
  x: Float32Array,
  y: Float32Array,
  skip: (i: number) => boolean,
): { value: number; sigma: number } {
  let n = 0;
  let sx = 0;
  let sy = 0;
  for (let i = 0; i < x.length; i++) {
    if (skip(i)) continue;
    n++;
    sx += x[i] as number;
    sy += y[i] as number;
  }
  const mx = sx / n;
  const my = sy / n;
  let sxx = 0;
  let sxy = 0;
  for (let i = 0; i < x.length; i++) {
    if (skip(i)) continue;
    const dx = (x[i] as number) - mx;
    sxx += dx * dx;
    sxy += dx * ((y[i] as number) - my);
  }
  const value = sxy / sxx;
  let residual = 0;
  for (let i = 0; i < x.length; i++) {
    if (skip(i)) continue;
    residual += ((y[i] as number) - my - value * ((x[i] as number) - mx)) ** 2;
  }
  return { value, sigma: Math.sqrt(residual / (n - 2) / sxx) };
}
