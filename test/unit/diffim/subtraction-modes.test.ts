// The other matching direction, warping on its own, and the failure cases of subtraction.

import { describe, expect, it } from 'vitest';
import { KernelFitError } from '../../../service/domain/diffim/fit-matching-kernel';
import { subtractImages } from '../../../service/domain/diffim/subtract-images';
import { warpExposure } from '../../../service/domain/diffim/warp-exposure';
import { MaskBit } from '../../../service/domain/image/mask-bits';
import { emptySourceCatalog } from '../../../service/domain/measurement/source-catalog';
import { matchToTruth } from '../../../service/domain/synthetic/match-truth';
import { tanWcs } from '../../../service/domain/wcs/tan-wcs';
import { pairOptions, runDia } from './dia-fixture';

describe('subtraction when the template has the wider PSF', () => {
  it('convolves the science instead, keeps fluxes in science units and σ 1 ± 0.1 residuals', () => {
    const run = runDia(
      pairOptions({
        width: 768,
        height: 768,
        seed: 11,
        scienceFwhm: 3,
        templateFwhm: 4.2,
        transientSnrs: Array(60).fill(12),
        negativeSnrs: [],
        variableSnrs: [],
      }),
    );
    expect(run.subtraction.mode).toBe('convolveScience');
    const d = run.subtraction.difference;
    let n = 0;
    let sum2 = 0;
    for (let i = 0; i < d.image.length; i++) {
      if (((d.mask[i] as number) & MaskBit.NO_DATA) !== 0) continue;
      const r = (d.image[i] as number) / Math.sqrt(d.variance[i] as number);
      if (Math.abs(r) > 5) continue;
      sum2 += r * r;
      n++;
    }
    expect(Math.abs(Math.sqrt(sum2 / n) - 1)).toBeLessThan(0.1);
    const t = run.pair.truth.transients;
    const match = matchToTruth(t, run.dia, 2);
    const ratios: number[] = [];
    for (let k = 0; k < t.x.length; k++) {
      const m = match[k] as number;
      if (m >= 0) ratios.push((run.dia.psfFlux[m] as number) / (t.flux[k] as number));
    }
    expect(ratios.length).toBeGreaterThanOrEqual(57);
    ratios.sort((a, b) => a - b);
    expect(ratios[ratios.length >> 1]).toBeCloseTo(1, 1);
  });
});

describe('template warping', () => {
  const wcs = tanWcs(10, -30, 50.5, 40.5, [-5.5e-5, 0, 0, 5.5e-5]);
  const width = 100;
  const height = 80;
  const image = new Float32Array(width * height).map(
    (_, i) => 3 + 0.01 * (i % width) + 0.02 * Math.floor(i / width),
  );
  const source = {
    width,
    height,
    image,
    variance: new Float32Array(width * height).fill(4),
    mask: new Uint16Array(width * height),
  };

  it('reproduces a smooth image resampled onto its own grid and propagates variance', () => {
    const warped = warpExposure(source, wcs, wcs, width, height);
    expect(warped.image[40 * width + 50]).toBeCloseTo(image[40 * width + 50] as number, 4);
    expect(warped.variance[40 * width + 50]).toBeCloseTo(4, 3);
    // Lanczos-3 needs 2 pixels on each side: the outermost become NO_DATA.
    expect(warped.mask[0]).toBe(MaskBit.NO_DATA);
    expect(warped.coverage).toBeGreaterThan(0.85);
  });

  it('shifts by the WCS offset: a half-pixel CRPIX change moves the image half a pixel', () => {
    const shifted = tanWcs(10, -30, 51, 40.5, [-5.5e-5, 0, 0, 5.5e-5]);
    const warped = warpExposure(source, wcs, shifted, width, height);
    // Target pixel x sees source pixel x − 0.5: the x-ramp drops by 0.005.
    expect(warped.image[40 * width + 50]).toBeCloseTo((image[40 * width + 50] as number) - 0.005, 3);
  });

  it('marks everything NO_DATA with zero coverage when the template lies elsewhere on the sky', () => {
    const elsewhere = tanWcs(11, -30, 50.5, 40.5, [-5.5e-5, 0, 0, 5.5e-5]);
    const warped = warpExposure(source, elsewhere, wcs, width, height);
    expect(warped.coverage).toBe(0);
  });

  it('fails with a RangeError for a Lanczos order outside 1–5', () => {
    expect(() => warpExposure(source, wcs, wcs, width, height, { lanczosOrder: 7, gridSpacing: 32 })).toThrow(
      RangeError,
    );
  });
});

describe('subtraction failures', () => {
  const blank = (w: number, h: number) => ({
    width: w,
    height: h,
    image: new Float32Array(w * h),
    variance: new Float32Array(w * h).fill(1),
    mask: new Uint16Array(w * h),
  });

  it('fails when the template is not on the science grid', () => {
    expect(() => subtractImages(blank(64, 64), blank(60, 64), emptySourceCatalog(0))).toThrow(
      /warp it first/,
    );
  });

  it('fails with a KernelFitError naming the fix when there are no stars for the kernel', () => {
    expect(() => subtractImages(blank(64, 64), blank(64, 64), emptySourceCatalog(0))).toThrow(KernelFitError);
  });
});
