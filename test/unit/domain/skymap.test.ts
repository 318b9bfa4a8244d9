import { describe, expect, it } from 'vitest';
import { separationDeg } from '../../../service/domain/sky/sky-circle';
import {
  boxCorners,
  patchesCovering,
  patchGeometry,
  patchIdAt,
  SKYMAPS,
  SkymapError,
  skymapByName,
  tractCount,
  tractGeometry,
  tractIdAt,
} from '../../../service/domain/sky/skymap';
import { pixelToSky, skyToPixel } from '../../../service/domain/wcs/tan-wcs';

const map = skymapByName('lsst_cells_v1');

describe('rings skymap', () => {
  it('has a cap at each pole and rings of ~1.5° tracts between', () => {
    expect(tractIdAt(map, { ra: 10, dec: -89.9 })).toBe(0);
    expect(tractIdAt(map, { ra: 10, dec: 89.9 })).toBe(tractCount(map) - 1);
    // Equatorial ring: 360° / (180°/121) ≈ 242 tracts.
    const a = tractIdAt(map, { ra: 0, dec: 0 });
    const b = tractIdAt(map, { ra: 1.49, dec: 0 });
    expect(b - a).toBe(1);
    expect(tractCount(map)).toBeGreaterThan(15_000);
  });

  it('puts every position in a tract whose centre is within the tract half-diagonal', () => {
    for (const [ra, dec] of [
      [0, 0],
      [359.9, 0.3],
      [150.1, 2.2],
      [53.1, -28.1],
      [240, -30],
      [95, -25],
      [12, 80],
    ] as const) {
      const tract = tractGeometry(map, tractIdAt(map, { ra, dec }));
      const width = 180 / (map.ringCount + 1);
      expect(separationDeg(ra, dec, tract.center.ra, tract.center.dec)).toBeLessThan(width * 1.5);
      const patch = patchIdAt(map, tract, { ra, dec });
      expect(patch).toBeDefined();
    }
  });

  it('centres the tract WCS on the tract and makes patch pixels line up with tract pixels', () => {
    const tract = tractGeometry(map, tractIdAt(map, { ra: 150.1, dec: 2.2 }));
    const centre = pixelToSky(tract.wcs, tract.wcs.crpix1 - 1, tract.wcs.crpix2 - 1);
    expect(separationDeg(centre.ra, centre.dec, tract.center.ra, tract.center.dec)).toBeLessThan(1e-9);
    const patch = patchGeometry(map, tract, 5 * tract.patchesX + 7);
    expect(patch.x).toBe(7);
    expect(patch.y).toBe(5);
    expect(patch.width).toBe(1100);
    // The same sky point: patch pixel (p) = tract pixel (p + x0).
    const sky = pixelToSky(patch.wcs, 10, 20);
    const inTract = skyToPixel(tract.wcs, sky.ra, sky.dec);
    expect(inTract.x).toBeCloseTo(10 + patch.x0, 6);
    expect(inTract.y).toBeCloseTo(20 + patch.y0, 6);
  });

  it('finds the patch whose inner box holds a point and covers a footprint with distinct patches', () => {
    const tract = tractGeometry(map, 7000);
    const patch = patchGeometry(map, tract, 100);
    const inner = pixelToSky(patch.wcs, map.patchBorderPixels + 500, map.patchBorderPixels + 500);
    expect(patchIdAt(map, tract, inner)).toBe(100);
    const corners = boxCorners(patch.wcs, patch.width, patch.height);
    expect(corners).toHaveLength(4);
    // Corners sit in the border, so they fall into the neighbouring patches: 4 distinct + none twice.
    const covering = patchesCovering(map, corners);
    expect(covering).toHaveLength(4);
    expect(new Set(covering.map((c) => c.patch)).size).toBe(4);
  });

  it('fails for unknown skymaps, tracts, patches and bad declinations with the valid range', () => {
    expect(() => skymapByName('nope')).toThrow(/use one of lsst_cells_v1/);
    expect(() => tractGeometry(map, -1)).toThrow(SkymapError);
    expect(() => patchGeometry(map, tractGeometry(map, 1), 1e9)).toThrow(/has patches 0–/);
    expect(() => tractIdAt(map, { ra: 0, dec: 91 })).toThrow(/not in \[-90, 90\]/);
    expect(Object.keys(SKYMAPS)).toEqual(['lsst_cells_v1', 'latiss_v1', 'hsc_rings_v1']);
  });
});
