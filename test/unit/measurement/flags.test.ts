// Source flags, close pairs and the PSF fit's failure, on small hand-placed scenes.

import { describe, expect, it } from 'vitest';
import { MaskBit } from '../../../service/domain/image/mask-bits';
import { type MaskedImage, maskedImage } from '../../../service/domain/image/masked-image';
import { detectSources } from '../../../service/domain/measurement/detect-sources';
import { fitPsf, PsfFitError } from '../../../service/domain/measurement/fit-psf';
import { circularPsf } from '../../../service/domain/measurement/psf-model';
import { SourceFlag } from '../../../service/domain/measurement/source-catalog';
import { pixelIntegratedGaussian } from '../../../service/domain/synthetic/error-function';
import { seededRandom } from '../../../service/domain/synthetic/random';

const SIZE = 128;
const SIGMA = 4 / 2.3548;
const PSF = circularPsf(4);

/** Background-subtracted Gaussian noise (σ² = 100) plus the given stars (x, y, electrons). */
function image(stars: readonly [number, number, number][]): MaskedImage {
  const random = seededRandom(5);
  const pixels = new Float32Array(SIZE * SIZE);
  for (let i = 0; i < pixels.length; i++) pixels[i] = 10 * random.normal();
  const px = new Float64Array(25);
  const py = new Float64Array(25);
  for (const [x, y, flux] of stars) {
    pixelIntegratedGaussian(x, SIGMA, Math.round(x) - 12, px);
    pixelIntegratedGaussian(y, SIGMA, Math.round(y) - 12, py);
    for (let j = 0; j < 25; j++) {
      for (let i = 0; i < 25; i++) {
        const cx = Math.round(x) - 12 + i;
        const cy = Math.round(y) - 12 + j;
        if (cx < 0 || cx >= SIZE || cy < 0 || cy >= SIZE) continue;
        const k = cy * SIZE + cx;
        pixels[k] = (pixels[k] as number) + flux * (px[i] as number) * (py[j] as number);
      }
    }
  }
  return maskedImage(SIZE, SIZE, pixels, new Float32Array(SIZE * SIZE).fill(100));
}

function sourceNear(exposure: MaskedImage, x: number, y: number) {
  const { sources } = detectSources(exposure, PSF);
  for (let i = 0; i < sources.count; i++) {
    if (Math.hypot((sources.x[i] as number) - x, (sources.y[i] as number) - y) < 1.5) {
      return {
        flags: sources.flags[i] as number,
        peakCount: sources.peakCount[i] as number,
        flux: sources.psfFlux[i] as number,
      };
    }
  }
  throw new Error(`no source near (${x}, ${y})`);
}

describe('source flags', () => {
  it('a clean isolated star has no flags and the right flux', () => {
    const star = sourceNear(image([[64.3, 60.7, 20_000]]), 64.3, 60.7);
    expect(star.flags).toBe(0);
    expect(star.flux).toBeGreaterThan(19_000);
    expect(star.flux).toBeLessThan(21_000);
  });

  it('flags SATURATED and SATURATED_CENTER from the mask, and leaves SAT pixels out of the PSF flux', () => {
    const exposure = image([[64, 64, 20_000]]);
    for (const i of [64 * SIZE + 64, 64 * SIZE + 65]) {
      exposure.mask[i] = MaskBit.SAT;
      exposure.image[i] = 0; // a clipped core, as a saturated star would be
    }
    const star = sourceNear(exposure, 64, 64);
    expect(star.flags & SourceFlag.SATURATED).toBe(SourceFlag.SATURATED);
    expect(star.flags & SourceFlag.SATURATED_CENTER).toBe(SourceFlag.SATURATED_CENTER);
    expect(star.flux).toBeGreaterThan(18_000);
  });

  it('flags BAD and INTERPOLATED pixels anywhere in the footprint', () => {
    const exposure = image([[64, 64, 20_000]]);
    exposure.mask[62 * SIZE + 64] = MaskBit.BAD;
    exposure.mask[66 * SIZE + 64] = MaskBit.CR;
    const star = sourceNear(exposure, 64, 64);
    expect(star.flags & SourceFlag.BAD).toBe(SourceFlag.BAD);
    expect(star.flags & SourceFlag.INTERPOLATED).toBe(SourceFlag.INTERPOLATED);
    expect(star.flags & SourceFlag.SATURATED).toBe(0);
  });

  it('flags EDGE for a star whose footprint reaches the filter border', () => {
    const star = sourceNear(image([[9, 64, 50_000]]), 9, 64);
    expect(star.flags & SourceFlag.EDGE).toBe(SourceFlag.EDGE);
  });

  it('splits a close pair (1.5 FWHM) into two BLENDED sources with peakCount 2', () => {
    const exposure = image([
      [60, 64, 30_000],
      [66, 64, 10_000],
    ]);
    const a = sourceNear(exposure, 60, 64);
    const b = sourceNear(exposure, 66, 64);
    expect(a.flags & SourceFlag.BLENDED).toBe(SourceFlag.BLENDED);
    expect(b.flags & SourceFlag.BLENDED).toBe(SourceFlag.BLENDED);
    expect(a.peakCount).toBe(2);
  });

  it('does not spread a NaN pixel over the image', () => {
    const exposure = image([[64, 64, 20_000]]);
    exposure.image[10 * SIZE + 100] = Number.NaN;
    exposure.mask[10 * SIZE + 100] = MaskBit.NO_DATA;
    const { sources } = detectSources(exposure, PSF);
    expect(sources.count).toBe(1);
    expect(Number.isFinite(sources.psfFlux[0] as number)).toBe(true);
  });
});

describe('fitPsf', () => {
  it('fails with a PsfFitError saying what to relax when there are no stars', () => {
    expect(() => fitPsf(image([]))).toThrow(PsfFitError);
    expect(() => fitPsf(image([]))).toThrow(
      /only 0 usable PSF stars .* need 5: lower thresholdSigma or minStars/,
    );
  });
});
