// A detector straddling template patches: every overlapping patch is warped and merged, so the whole
// detector gets a template — the same pixels the undivided template would give — while one patch
// alone leaves the rest NO_DATA. Patches of a second tract (another tangent point) merge too.

import { beforeAll, describe, expect, it } from 'vitest';
import { type TemplatePatch, templateMosaic } from '../../../service/domain/diffim/template-mosaic';
import { type WarpedImage, warpExposure } from '../../../service/domain/diffim/warp-exposure';
import { MaskBit } from '../../../service/domain/image/mask-bits';
import { type DiaPair, renderDiaPair } from '../../../service/domain/synthetic/dia-pair';
import { pixelToSky, skyToPixel, tanWcs } from '../../../service/domain/wcs/tan-wcs';
import { pairOptions, templateColumns } from './dia-fixture';

const SIZE = 256;

function noData(warped: WarpedImage): number {
  return warped.mask.filter((m) => (m & MaskBit.NO_DATA) !== 0).length;
}

/** The q-quantile (1 = largest) of |a − b|/σ over pixels both cover. */
function difference(a: WarpedImage, b: WarpedImage, q = 1): number {
  const d: number[] = [];
  for (let i = 0; i < a.image.length; i++) {
    if (((a.mask[i] as number) | (b.mask[i] as number)) & MaskBit.NO_DATA) continue;
    d.push(Math.abs((a.image[i] as number) - (b.image[i] as number)) / Math.sqrt(a.variance[i] as number));
  }
  d.sort((x, y) => x - y);
  return d[Math.min(d.length - 1, Math.floor(q * d.length))] as number;
}

let pair: DiaPair;
let whole: WarpedImage;
let left: TemplatePatch;
let right: TemplatePatch;

beforeAll(() => {
  pair = renderDiaPair(
    pairOptions({
      width: SIZE,
      height: SIZE,
      starCount: 60,
      transientSnrs: [],
      negativeSnrs: [],
      variableSnrs: [],
    }),
  );
  const { template, templateWcs } = pair;
  whole = warpExposure(template, templateWcs, pair.scienceWcs, SIZE, SIZE);
  // Two patches of one tract meeting mid-detector, overlapping by 8 columns (patches overlap upstream too).
  const middle = Math.round(template.width / 2);
  left = templateColumns(template, templateWcs, 0, middle + 4);
  right = templateColumns(template, templateWcs, middle - 4, template.width);
});

describe('templates across patches', () => {
  it('covers the whole detector from two patches, with the pixels of the undivided template', () => {
    const mosaic = templateMosaic([left, right], pair.scienceWcs, SIZE, SIZE);
    expect(mosaic.coverage).toBe(whole.coverage);
    expect(noData(mosaic)).toBe(noData(whole));
    expect(difference(mosaic, whole)).toBeLessThan(1e-4);
  });

  it('leaves what one patch does not reach NO_DATA', () => {
    const one = templateMosaic([left], pair.scienceWcs, SIZE, SIZE);
    expect(one.coverage).toBeGreaterThan(0.3);
    expect(one.coverage).toBeLessThan(0.7);
    const x = SIZE - 10;
    expect((one.mask[(SIZE / 2) * SIZE + x] as number) & MaskBit.NO_DATA).toBe(MaskBit.NO_DATA);
  });

  it('merges a patch of another tract (its own tangent point) into the same template', () => {
    // The right half resampled onto a second tract's grid, tangent point 0.5° away, laid out so the
    // detector's centre falls at (SIZE, SIZE) of a 2·SIZE square.
    const scale = 0.2 / 3600;
    const base = tanWcs(pair.scienceWcs.crval1 + 0.5, pair.scienceWcs.crval2, 0, 0, [-scale, 0, 0, scale]);
    const centre = pixelToSky(pair.scienceWcs, SIZE / 2, SIZE / 2);
    const at = skyToPixel(base, centre.ra, centre.dec);
    const tract2 = { ...base, crpix1: base.crpix1 - at.x + SIZE, crpix2: base.crpix2 - at.y + SIZE };
    const onTract2 = warpExposure(right.image, right.wcs, tract2, 2 * SIZE, 2 * SIZE);
    const mosaic = templateMosaic([left, { image: onTract2, wcs: tract2 }], pair.scienceWcs, SIZE, SIZE);
    expect(mosaic.coverage).toBeGreaterThan(0.95);
    // Resampled twice on the right (the noise interpolated at other phases), so not bit-identical, but
    // well below the noise: the median pixel within 0.01σ, 99 % within 0.25σ.
    expect(difference(mosaic, whole, 0.5)).toBeLessThan(0.01);
    expect(difference(mosaic, whole, 0.99)).toBeLessThan(0.25);
    expect(difference(mosaic, whole)).toBeLessThan(1);
  });

  it('ignores a patch whose footprint misses the detector, as if it were not there', () => {
    // The left patch moved 2° away on the sky: its warp would be all NO_DATA.
    const far = { image: right.image, wcs: { ...right.wcs, crval1: right.wcs.crval1 + 2 } };
    const withFar = templateMosaic([left, far], pair.scienceWcs, SIZE, SIZE);
    const alone = templateMosaic([left, left], pair.scienceWcs, SIZE, SIZE);
    expect(withFar.coverage).toBe(alone.coverage);
    expect(noData(withFar)).toBe(noData(alone));
    expect(difference(withFar, alone)).toBeLessThan(1e-6);
  });

  it('fails with a RangeError without any patch', () => {
    expect(() => templateMosaic([], pair.scienceWcs, SIZE, SIZE)).toThrow(RangeError);
  });
});
