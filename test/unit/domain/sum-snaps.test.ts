// The visit image of a two-snap visit: pixel sums of images and variances, masks OR-ed, the visit's
// exposure time; against a simulated scene it is the two-snap exposure within its noise.
import { describe, expect, it } from 'vitest';
import { Header } from '../../../service/domain/fits';
import type { Exposure } from '../../../service/domain/image/exposure';
import { MaskBit } from '../../../service/domain/image/mask-bits';
import { SnapMismatchError, sumSnaps } from '../../../service/domain/image/sum-snaps';
import { seededRandom } from '../../../service/domain/synthetic/random';

const WIDTH = 64;
const HEIGHT = 48;

/** Sky of 800 e⁻ and a Gaussian star of 50 000 e⁻ (σ = 2 px) at the centre, per 15 s snap. */
function scene(): Float64Array {
  const expected = new Float64Array(WIDTH * HEIGHT);
  for (let y = 0; y < HEIGHT; y++)
    for (let x = 0; x < WIDTH; x++) {
      const r2 = (x - WIDTH / 2) ** 2 + (y - HEIGHT / 2) ** 2;
      expected[y * WIDTH + x] = 800 + (50_000 / (2 * Math.PI * 4)) * Math.exp(-r2 / 8);
    }
  return expected;
}

function snap(expected: Float64Array, seed: number, mjdBegin: number, badPixel: number): Exposure {
  const random = seededRandom(seed);
  const image = new Float32Array(expected.length);
  for (let i = 0; i < image.length; i++) image[i] = random.poisson(expected[i] as number);
  const mask = new Uint16Array(image.length);
  mask[badPixel] = MaskBit.SAT;
  return {
    width: WIDTH,
    height: HEIGHT,
    image,
    variance: image.slice(),
    mask,
    metadata: new Header([
      { keyword: 'EXPTIME', value: 15, real: true },
      { keyword: 'MJD-BEG', value: mjdBegin, real: true },
      { keyword: 'MJD-END', value: mjdBegin + 15 / 86_400, real: true },
    ]),
    info: {
      instrument: 'LSSTCam',
      detector: 94,
      detectorName: 'R22_S11',
      exposureTimeSeconds: 15,
      darkTimeSeconds: 15.5,
      exposureId: 2026112800010 + seed,
    },
  };
}

describe('sumSnaps', () => {
  const expected = scene();
  const first = snap(expected, 1, 61_000, 10);
  const second = snap(expected, 2, 61_000 + 17 / 86_400, 20);
  const visit = sumSnaps([first, second]);

  it('adds images and variances pixel by pixel and ORs the masks', () => {
    for (const i of [0, 10, 20, WIDTH * (HEIGHT / 2) + WIDTH / 2, WIDTH * HEIGHT - 1]) {
      expect(visit.image[i]).toBe((first.image[i] as number) + (second.image[i] as number));
      expect(visit.variance[i]).toBe((first.variance[i] as number) + (second.variance[i] as number));
    }
    expect([visit.mask[10], visit.mask[20], visit.mask[30]]).toEqual([MaskBit.SAT, MaskBit.SAT, 0]);
  });

  it('is the two-snap exposure of the scene within its noise', () => {
    let sum = 0;
    let sumSq = 0;
    const n = WIDTH * HEIGHT;
    for (let i = 0; i < n; i++) {
      const pull =
        ((visit.image[i] as number) - 2 * (expected[i] as number)) / Math.sqrt(visit.variance[i] as number);
      sum += pull;
      sumSq += pull * pull;
    }
    const mean = sum / n;
    const rms = Math.sqrt(sumSq / n - mean * mean);
    expect(Math.abs(mean)).toBeLessThan(5 / Math.sqrt(n)); // the pulls' mean: 0 within 5σ
    expect(rms).toBeGreaterThan(0.95);
    expect(rms).toBeLessThan(1.05);
    // one snap alone is half the signal: far outside the noise
    const centre = WIDTH * (HEIGHT / 2) + WIDTH / 2;
    expect(
      (2 * (expected[centre] as number) - (first.image[centre] as number)) /
        Math.sqrt(first.variance[centre] as number),
    ).toBeGreaterThan(20);
  });

  it("carries the visit's exposure time and time span", () => {
    expect(visit.metadata.number('EXPTIME')).toBe(30);
    expect(visit.info?.exposureTimeSeconds).toBe(30);
    expect(visit.info?.darkTimeSeconds).toBe(31);
    expect(visit.metadata.number('MJD-END')).toBe(second.metadata.number('MJD-END'));
    expect(visit.metadata.number('MJD-AVG')).toBeCloseTo(61_000 + 16 / 86_400, 9);
  });

  it('passes one snap through and fails on snaps of different shapes', () => {
    expect(sumSnaps([first])).toBe(first);
    expect(() => sumSnaps([first, { ...second, width: WIDTH / 2, height: HEIGHT * 2 }])).toThrow(
      SnapMismatchError,
    );
    expect(() => sumSnaps([])).toThrow(SnapMismatchError);
  });
});
