import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../../service/domain/synthetic/random';
import { refineWcs } from '../../../service/domain/wcs/refine-wcs';
import { pixelToSky, separationArcsec, type TanWcs, tanWcs } from '../../../service/domain/wcs/tan-wcs';

const ARCSEC = 1 / 3600;
const WIDTH = 4072;
const HEIGHT = 4000;

function wcsAt(ra: number, dec: number, rotationDegrees: number, scaleArcsec = 0.2): TanWcs {
  const a = (rotationDegrees * Math.PI) / 180;
  const s = scaleArcsec * ARCSEC;
  return tanWcs(ra, dec, 2036.5, 2000.5, [
    -s * Math.cos(a),
    s * Math.sin(a),
    s * Math.sin(a),
    s * Math.cos(a),
  ]);
}

/** Stars at random pixels of the true WCS, detected with 0.03 px noise; the refcat holds them all plus extras. */
function scene(truth: TanWcs, count: number, seed: number) {
  const random = seededRandom(seed);
  const x = new Float64Array(count);
  const y = new Float64Array(count);
  const ra = new Float64Array(count + 50);
  const dec = new Float64Array(count + 50);
  for (let k = 0; k < count + 50; k++) {
    // 50 reference stars fall outside the detector (the refcat covers a padded region).
    const px = k < count ? random.uniform() * WIDTH : -300 + random.uniform() * 200;
    const py = random.uniform() * HEIGHT;
    const sky = pixelToSky(truth, px, py);
    ra[k] = sky.ra;
    dec[k] = sky.dec;
    if (k < count) {
      x[k] = px + 0.03 * random.normal();
      y[k] = py + 0.03 * random.normal();
    }
  }
  return { sources: { x, y }, reference: { ra, dec } };
}

function worstError(fitted: TanWcs, truth: TanWcs): number {
  let worst = 0;
  for (const [x, y] of [
    [0, 0],
    [WIDTH - 1, 0],
    [0, HEIGHT - 1],
    [WIDTH - 1, HEIGHT - 1],
    [WIDTH / 2, HEIGHT / 2],
  ] as const) {
    worst = Math.max(worst, separationArcsec(pixelToSky(fitted, x, y), pixelToSky(truth, x, y)));
  }
  return worst;
}

describe('refineWcs', () => {
  const truth = wcsAt(53.1, -27.8, 12);

  it('recovers an injected 4" pointing offset and 0.1° rotation to a few mas over the detector', () => {
    const { sources, reference } = scene(truth, 400, 5);
    const header = wcsAt(53.1 + (3 * ARCSEC) / Math.cos((27.8 * Math.PI) / 180), -27.8 - 2.5 * ARCSEC, 12.1);
    expect(worstError(header, truth)).toBeGreaterThan(3);
    const solution = refineWcs(header, sources, reference);
    expect(solution.source).toBe('refined');
    expect(solution.matchCount).toBeGreaterThanOrEqual(390);
    expect(solution.rmsPixels).toBeLessThan(0.1);
    expect(worstError(solution.wcs, truth)).toBeLessThan(0.01);
  });

  it('also recovers a 0.2 % plate-scale error and rejects spurious sources as outliers', () => {
    const { sources, reference } = scene(truth, 300, 9);
    // 30 sources without a counterpart (cosmic rays, asteroids) near real stars.
    const x = Float64Array.from([
      ...sources.x,
      ...Array.from({ length: 30 }, (_, i) => (sources.x[i] as number) + 1.5),
    ]);
    const y = Float64Array.from([
      ...sources.y,
      ...Array.from({ length: 30 }, (_, i) => (sources.y[i] as number) - 1.5),
    ]);
    const header = wcsAt(53.1, -27.8 + 1 * ARCSEC, 12, 0.2004);
    const solution = refineWcs(header, { x, y }, reference);
    expect(solution.source).toBe('refined');
    expect(worstError(solution.wcs, truth)).toBeLessThan(0.01);
  });

  it('falls back to the header WCS, flagged, when the reference catalog does not match the field', () => {
    const { sources } = scene(truth, 200, 3);
    const elsewhere = scene(wcsAt(200, 10, 0), 200, 4).reference;
    const solution = refineWcs(truth, sources, elsewhere);
    expect(solution.source).toBe('header');
    expect(solution.wcs).toBe(truth);
    expect(solution.fallbackReason).toMatch(/no consistent offset|matched/);
  });

  it('falls back when there are too few sources to fit', () => {
    const { reference } = scene(truth, 100, 6);
    const solution = refineWcs(truth, { x: [10, 20], y: [30, 40] }, reference);
    expect(solution.source).toBe('header');
    expect(solution.fallbackReason).toMatch(/need 6/);
  });
});
