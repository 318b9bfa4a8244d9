// Cutout FITS → PNG: decoded back with pngjs, the picture has the expected size and orientation, a
// source is brighter than the sky, a difference image is symmetric around mid-grey, NaN pixels get
// the fixed colour, and what is not an image fails with the reason.

import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import {
  CutoutImageError,
  cutoutPng,
  NAN_RGB,
  readCutoutImage,
  stretchLevels,
} from '../../../service/dashboard/cutout-png';
import { cutoutFits } from '../../../service/domain/diffim/cutouts';
import { FitsError, imageHdu, writeFits } from '../../../service/domain/fits';
import { syntheticDetector } from '../../support/dashboard-fixtures';

const detector = syntheticDetector({
  visit: 2026112800101n,
  detector: 0,
  transients: [{ x: 60.2, y: 40.7, flux: 6000 }],
  seed: 3,
});

function rgb(png: PNG, x: number, y: number): [number, number, number] {
  const o = (y * png.width + x) * 4;
  return [png.data[o] as number, png.data[o + 1] as number, png.data[o + 2] as number];
}

/** A FITS image from rows given bottom row first, as FITS stores them. */
function fitsOf(width: number, values: readonly number[]): Uint8Array {
  return writeFits([imageHdu(Float32Array.from(values), [width, values.length / width])]);
}

describe('cutoutPng', () => {
  it('enlarges a 30-px cutout ×4 and shows the source brighter than the sky', () => {
    const fits = cutoutFits(detector.science, detector.wcs, 60.2, 40.7, 30);
    const png = PNG.sync.read(cutoutPng(fits, 'science'));
    expect([png.width, png.height]).toEqual([120, 120]);
    // Source at cutout pixel (15, 15): PNG block columns 60–63, rows (29 − 15)·4 = 56–59.
    const [centre] = rgb(png, 61, 58);
    const [sky] = rgb(png, 4, 4);
    expect(centre).toBeGreaterThan(sky + 100);
    expect(rgb(png, 61, 58)).toEqual([centre, centre, centre]);
  });

  it('puts FITS row 0 at the bottom and repeats each pixel over a scale × scale block', () => {
    // 2×2: bottom row dark, top row bright.
    const png = PNG.sync.read(cutoutPng(fitsOf(2, [0, 0, 100, 100]), 'science', { scale: 3 }));
    expect([png.width, png.height]).toEqual([6, 6]);
    const [top] = rgb(png, 0, 0);
    const [bottom] = rgb(png, 0, 5);
    expect(top).toBeGreaterThan(bottom + 20);
    for (const y of [0, 1, 2]) for (const x of [0, 5]) expect(rgb(png, x, y)[0]).toBe(top);
    for (const y of [3, 4, 5]) for (const x of [0, 5]) expect(rgb(png, x, y)[0]).toBe(bottom);
  });

  it('maps zero to mid-grey and opposite residuals to mirrored levels in a difference image', () => {
    const values = [-50, -10, 0, 10, 50, 0, 0, 0, 0];
    const levels = stretchLevels({ width: 3, height: 3, pixels: Float32Array.from(values) }, 'difference');
    expect(levels[2]).toBe(128);
    expect((levels[0] as number) + (levels[4] as number)).toBe(255);
    expect((levels[1] as number) + (levels[3] as number)).toBe(255);
    expect(levels[4]).toBeGreaterThan(levels[3] as number);
  });

  it('gives NaN pixels the fixed colour, and an all-NaN cutout only that colour', () => {
    const fits = cutoutFits(detector.science, detector.wcs, 2, 2, 30);
    const png = PNG.sync.read(cutoutPng(fits, 'science'));
    expect(rgb(png, 0, png.height - 1)).toEqual([...NAN_RGB]);
    expect(rgb(png, png.width - 1, 0)).not.toEqual([...NAN_RGB]);
    const empty = PNG.sync.read(
      cutoutPng(fitsOf(2, [Number.NaN, Number.NaN, Number.NaN, Number.NaN]), 'difference'),
    );
    expect(rgb(empty, 1, 1)).toEqual([...NAN_RGB]);
  });

  it('keeps the sky dark under a bright star: the stretch follows percentiles, not the maximum', () => {
    const values = new Array(400).fill(0).map((_, i) => 100 + (i % 7));
    values[210] = 1e6;
    const levels = stretchLevels({ width: 20, height: 20, pixels: Float32Array.from(values) }, 'science');
    expect(levels[210]).toBe(255);
    // Sky spans the whole low range instead of collapsing to one level next to a 10⁶ peak.
    const sky = Array.from(levels).filter((_, i) => i !== 210);
    expect(Math.max(...sky) - Math.min(...sky)).toBeGreaterThan(50);
  });

  it('shows pure noise as quiet sky, not stretched to full contrast', () => {
    const fits = cutoutFits(detector.matchedTemplate, detector.wcs, 60.2, 40.7, 30);
    const levels = stretchLevels(readCutoutImage(fits), 'template');
    expect(Math.max(...levels)).toBeLessThan(160);
    const difference = cutoutFits(detector.difference, detector.wcs, 90, 90, 30);
    const residuals = stretchLevels(readCutoutImage(difference), 'difference');
    expect(Math.min(...residuals)).toBeGreaterThan(70);
    expect(Math.max(...residuals)).toBeLessThan(185);
  });

  it('fails with the reason on bytes that are not a FITS image', () => {
    expect(() => cutoutPng(new Uint8Array([1, 2, 3]), 'science')).toThrow(FitsError);
    const headerOnly = writeFits([imageHdu(new Float32Array(0), [])]);
    expect(() => cutoutPng(headerOnly, 'science')).toThrow(CutoutImageError);
    expect(() => cutoutPng(fitsOf(2, [1, 2, 3, 4]), 'science', { scale: 0 })).toThrow(/scale 0/);
  });
});
