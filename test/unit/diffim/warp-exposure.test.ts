import { describe, expect, it } from 'vitest';
import { warpExposure } from '../../../service/domain/diffim/warp-exposure';
import { MaskBit } from '../../../service/domain/image/mask-bits';
import { pixelToSky, skyToPixel, tanWcs } from '../../../service/domain/wcs/tan-wcs';

// The warp against a direct Lanczos sum at the exact source position, on a rotated template that
// only partly overlaps the target and is taller than one stripe of output rows (several source
// stripes, each reaching many source rows because of the rotation).

const SOURCE_WIDTH = 260;
const SOURCE_HEIGHT = 170;
const WIDTH = 140;
const HEIGHT = 150;
const scale = 5.5e-5;
const angle = (20 * Math.PI) / 180;
const sourceWcs = tanWcs(10, -30, 130.5, 70.5, [-scale, 0, 0, scale]);
const targetWcs = tanWcs(10, -30, 75.5, 60.5, [
  -scale * Math.cos(angle),
  scale * Math.sin(angle),
  scale * Math.sin(angle),
  scale * Math.cos(angle),
]);
const pixel = (x: number, y: number) => 100 + 20 * Math.sin(0.21 * x + 0.1) * Math.cos(0.17 * y) + 0.3 * x;
const image = new Float32Array(SOURCE_WIDTH * SOURCE_HEIGHT).map((_, i) =>
  pixel(i % SOURCE_WIDTH, Math.floor(i / SOURCE_WIDTH)),
);
const source = {
  width: SOURCE_WIDTH,
  height: SOURCE_HEIGHT,
  image,
  variance: image.map((v) => 2 * v),
  mask: new Uint16Array(SOURCE_WIDTH * SOURCE_HEIGHT),
};
// A BAD column in the source: its bits reach the output pixels that sample next to it.
for (let y = 0; y < SOURCE_HEIGHT; y++) source.mask[y * SOURCE_WIDTH + 160] = MaskBit.BAD;

function lanczos(d: number, a: number): number {
  if (d === 0) return 1;
  if (Math.abs(d) >= a) return 0;
  return (a * Math.sin(Math.PI * d) * Math.sin((Math.PI * d) / a)) / (Math.PI * d) ** 2;
}

/** Σ wx·wy·plane over the window at the exact position, weights normalised per axis; undefined outside. */
function directSample(plane: Float32Array, x: number, y: number, a: number): number | undefined {
  const sky = pixelToSky(targetWcs, x, y);
  const p = skyToPixel(sourceWcs, sky.ra, sky.dec);
  const ix = Math.floor(p.x);
  const iy = Math.floor(p.y);
  if (ix - a + 1 < 0 || iy - a + 1 < 0 || ix + a >= SOURCE_WIDTH || iy + a >= SOURCE_HEIGHT) return undefined;
  const wx = Array.from({ length: 2 * a }, (_, k) => lanczos(p.x - (ix - a + 1 + k), a));
  const wy = Array.from({ length: 2 * a }, (_, k) => lanczos(p.y - (iy - a + 1 + k), a));
  const sx = wx.reduce((s, w) => s + w, 0);
  const sy = wy.reduce((s, w) => s + w, 0);
  let sum = 0;
  for (let j = 0; j < 2 * a; j++)
    for (let i = 0; i < 2 * a; i++)
      sum +=
        ((wx[i] as number) / sx) *
        ((wy[j] as number) / sy) *
        (plane[(iy - a + 1 + j) * SOURCE_WIDTH + ix - a + 1 + i] as number);
  return sum;
}

describe('warpExposure against a direct Lanczos sum', () => {
  it.each([3, 2, 5])('Lanczos-%i: same pixels, same NO_DATA footprint, carried mask bits', (order) => {
    const warped = warpExposure(source, sourceWcs, targetWcs, WIDTH, HEIGHT, {
      lanczosOrder: order,
      gridSpacing: 32,
    });
    let compared = 0;
    let outside = 0;
    let disagreeing = 0;
    for (let y = 0; y < HEIGHT; y++)
      for (let x = 0; x < WIDTH; x++) {
        const i = y * WIDTH + x;
        const expected = directSample(image, x, y, order);
        const noData = ((warped.mask[i] as number) & MaskBit.NO_DATA) !== 0;
        if (expected === undefined) {
          outside++;
          if (!noData) disagreeing++;
          continue;
        }
        if (noData) {
          disagreeing++;
          continue;
        }
        // Grid interpolation (≤ 0.01 px) and 1/512-px phases against gradients of ≤ 5 per pixel.
        expect(Math.abs((warped.image[i] as number) - expected)).toBeLessThan(0.1);
        compared++;
      }
    // Only pixels whose window edge lies within the position error (≤ 0.01 px) of the source edge
    // may differ: a handful at most (a stripe one source row short makes a dozen).
    expect(disagreeing).toBeLessThanOrEqual(3);
    expect(compared).toBeGreaterThan(0.9 * WIDTH * HEIGHT);
    expect(outside).toBeGreaterThan(200);
    expect(warped.coverage).toBeCloseTo(compared / (WIDTH * HEIGHT), 2);
    const sky = skyToPixel(
      targetWcs,
      pixelToSky(sourceWcs, 160, 100).ra,
      pixelToSky(sourceWcs, 160, 100).dec,
    );
    const nearBad = Math.round(sky.y) * WIDTH + Math.round(sky.x);
    expect((warped.mask[nearBad] as number) & MaskBit.BAD).toBe(MaskBit.BAD);
  });

  it('propagates variance with the squared weights', () => {
    const warped = warpExposure(source, sourceWcs, targetWcs, WIDTH, HEIGHT);
    const i = 75 * WIDTH + 70;
    // A smooth variance (2× the image): the squared weights sum to well below one off the pixel grid.
    expect(warped.variance[i] as number).toBeLessThan(2 * (warped.image[i] as number));
    expect(warped.variance[i] as number).toBeGreaterThan(0.3 * 2 * (warped.image[i] as number));
  });
});
