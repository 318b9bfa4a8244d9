// Image differencing on a seeded synthetic pair with truth (astro.md §6.5–6.7): the difference's
// noise model, completeness per difference-image SNR, negatives, variables, false positives against
// the Gaussian-noise expectation, and astrometry against the Cramér–Rao bound.

import { beforeAll, describe, expect, it } from 'vitest';
import { MaskBit } from '../../../service/domain/image/mask-bits';
import { psfSigma } from '../../../service/domain/measurement/psf-model';
import { matchToTruth } from '../../../service/domain/synthetic/match-truth';
import { type DiaRun, expectedFalsePositives, fitHalfEfficiency, pairOptions, runDia } from './dia-fixture';

let run: DiaRun;

beforeAll(() => {
  run = runDia(pairOptions());
}, 60_000);

/** Pixels farther than `radius` from every star and injected source: where the difference is pure noise. */
function emptyPixels(r: DiaRun, radius: number): Uint8Array {
  const { width, height } = r.subtraction.difference;
  const occupied = new Uint8Array(width * height);
  const mark = (x: number, y: number) => {
    for (let j = Math.max(0, Math.round(y) - radius); j <= Math.min(height - 1, Math.round(y) + radius); j++)
      for (let i = Math.max(0, Math.round(x) - radius); i <= Math.min(width - 1, Math.round(x) + radius); i++)
        occupied[j * width + i] = 1;
  };
  const t = r.pair.truth;
  for (const set of [t.transients, t.negatives, t.variables])
    for (let k = 0; k < set.x.length; k++) mark(set.x[k] as number, set.y[k] as number);
  for (let k = 0; k < r.dia.count; k++) mark(r.dia.x[k] as number, r.dia.y[k] as number);
  return occupied;
}

describe('PSF-matched subtraction', () => {
  it('convolves the template, whose PSF is narrower, and measures both PSFs', () => {
    const s = run.subtraction;
    expect(s.mode).toBe('convolveTemplate');
    expect(psfSigma(s.sciencePsf)).toBeCloseTo(run.pair.sciencePsfSigma, 1);
    expect(psfSigma(s.templatePsf)).toBeCloseTo(run.pair.templatePsfSigma, 1);
    expect(s.kernel.stampsUsed).toBeGreaterThanOrEqual(20);
    expect(s.kernel.coefficients[0]).toBeCloseTo(1, 1);
    expect(run.warped.coverage).toBe(1);
  });

  it('leaves normalised residuals with mean 0 and σ 1 ± 0.1 in empty regions', () => {
    const d = run.subtraction.difference;
    const occupied = emptyPixels(run, 12);
    let n = 0;
    let sum = 0;
    let sum2 = 0;
    for (let i = 0; i < d.image.length; i++) {
      if (occupied[i] === 1 || ((d.mask[i] as number) & MaskBit.NO_DATA) !== 0) continue;
      const r = (d.image[i] as number) / Math.sqrt(d.variance[i] as number);
      sum += r;
      sum2 += r * r;
      n++;
    }
    const mean = sum / n;
    const sigma = Math.sqrt(sum2 / n - mean * mean);
    expect(n).toBeGreaterThan(0.3 * d.image.length);
    expect(Math.abs(mean)).toBeLessThan(0.02);
    expect(Math.abs(sigma - 1)).toBeLessThan(0.1);
  });
});

describe('DIA detection against truth', () => {
  it('reaches 50 % completeness at difference SNR 5.0 ± 0.5 and ≥ 90 % at SNR ≥ 8', () => {
    const t = run.pair.truth.transients;
    const match = matchToTruth(t, run.dia, 2);
    const found = Array.from(match, (m) => m >= 0);
    const half = fitHalfEfficiency(run.transientSnr, found);
    expect(Math.abs(half - 5)).toBeLessThanOrEqual(0.5);
    let bright = 0;
    let brightFound = 0;
    for (let k = 0; k < t.x.length; k++) {
      if ((run.transientSnr[k] as number) < 8) continue;
      bright++;
      if (found[k]) brightFound++;
    }
    expect(bright).toBeGreaterThan(100);
    expect(brightFound / bright).toBeGreaterThanOrEqual(0.9);
    // Faint ones must be missed mostly: a detector that reported everything would pass the above.
    const faint = found.filter((f, k) => f && (run.transientSnr[k] as number) < 3.5).length;
    expect(faint).toBeLessThan(10);
  });

  it('finds negatives (template-only sources) as negative DiaSources with negative flux', () => {
    const neg = run.pair.truth.negatives;
    const match = matchToTruth(neg, run.dia, 2);
    let found = 0;
    for (let k = 0; k < neg.x.length; k++) {
      const d = match[k] as number;
      if (d < 0) continue;
      found++;
      expect(run.dia.isNegative[d]).toBe(1);
      expect(run.dia.psfFlux[d]).toBeLessThan(0);
      expect((run.dia.psfFlux[d] as number) / (neg.flux[k] as number)).toBeGreaterThan(0.7);
    }
    expect(found / neg.x.length).toBeGreaterThanOrEqual(0.9);
  });

  it('finds variables with their ΔF in the difference and both fluxes measured', () => {
    const v = run.pair.truth.variables;
    const match = matchToTruth(v, run.dia, 2);
    let found = 0;
    for (let k = 0; k < v.x.length; k++) {
      const d = match[k] as number;
      if (d < 0) continue;
      found++;
      expect(run.dia.isNegative[d]).toBe(0);
      expect(Math.abs((run.dia.psfFlux[d] as number) - (v.flux[k] as number))).toBeLessThan(
        4 * (run.dia.psfFluxErr[d] as number),
      );
      expect(run.dia.scienceFlux[d]).toBeGreaterThan(run.dia.templateFlux[d] as number);
    }
    expect(found / v.x.length).toBeGreaterThanOrEqual(0.8);
  });

  it('reports at most 3× the Gaussian-noise expectation of false positives', () => {
    const t = run.pair.truth;
    const all = {
      x: Float64Array.from([...t.transients.x, ...t.negatives.x, ...t.variables.x]),
      y: Float64Array.from([...t.transients.y, ...t.negatives.y, ...t.variables.y]),
    };
    const back = matchToTruth(run.dia, all, 3);
    const falsePositives = Array.from(back).filter((m) => m < 0).length;
    const { width, height } = run.subtraction.difference;
    const expected = expectedFalsePositives(width * height, 5, psfSigma(run.subtraction.differencePsf));
    expect(falsePositives).toBeLessThanOrEqual(Math.max(3 * expected, 1));
  });

  it('measures positions within 2× the Cramér–Rao bound (RMS of residual / bound)', () => {
    const t = run.pair.truth.transients;
    const match = matchToTruth(t, run.dia, 2);
    const sigma = psfSigma(run.subtraction.differencePsf);
    let sum = 0;
    let n = 0;
    for (let k = 0; k < t.x.length; k++) {
      const d = match[k] as number;
      const snr = run.transientSnr[k] as number;
      if (d < 0 || snr < 6) continue;
      const bound = (Math.SQRT2 * sigma) / snr;
      sum += (((run.dia.x[d] as number) - (t.x[k] as number)) / bound) ** 2;
      sum += (((run.dia.y[d] as number) - (t.y[k] as number)) / bound) ** 2;
      n += 2;
    }
    expect(n).toBeGreaterThan(200);
    expect(Math.sqrt(sum / n)).toBeLessThanOrEqual(2);
  });

  it('gives each DiaSource a bounding box, SNR and science/template fluxes', () => {
    expect(run.dia.count).toBeGreaterThan(300);
    for (let i = 0; i < run.dia.count; i++) {
      expect(run.dia.bboxSize[i]).toBeGreaterThan(0);
      expect(run.dia.snr[i]).toBeGreaterThan(0);
      expect(Number.isFinite(run.dia.scienceFlux[i] as number)).toBe(true);
      expect(Number.isFinite(run.dia.templateFlux[i] as number)).toBe(true);
    }
  });
});
