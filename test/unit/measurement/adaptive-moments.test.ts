import { describe, expect, it } from 'vitest';
import { adaptiveMoments } from '../../../service/domain/measurement/adaptive-moments';

/** A sampled Gaussian star of covariance [[xx, xy], [xy, yy]] at (x, y) on a 80×80 image. */
function star(xx: number, yy: number, xy: number, x: number, y: number): Float32Array {
  const size = 80;
  const det = xx * yy - xy * xy;
  return new Float32Array(size * size).map((_, i) => {
    const dx = (i % size) - x;
    const dy = Math.floor(i / size) - y;
    return 1000 * Math.exp((-0.5 * (yy * dx * dx - 2 * xy * dx * dy + xx * dy * dy)) / det);
  });
}

describe('adaptiveMoments', () => {
  // A round star, an elongated tilted one (separable weights), and a narrow strongly sheared one
  // (|b|·stamp² past the bound: weights evaluated per pixel).
  it.each([
    [4, 4, 0],
    [5, 2.5, 1.2],
    [3.8, 3.8, 3],
  ])('recovers the covariance xx %f, yy %f, xy %f and the centre', (xx, yy, xy) => {
    const image = star(xx, yy, xy, 40.3, 39.6);
    const m = adaptiveMoments(image, 80, 80, 40, 40, 4, 15);
    expect(m).toBeDefined();
    expect(m?.x).toBeCloseTo(40.3, 4);
    expect(m?.y).toBeCloseTo(39.6, 4);
    expect(m?.ixx).toBeCloseTo(xx, 2);
    expect(m?.iyy).toBeCloseTo(yy, 2);
    expect(m?.ixy).toBeCloseTo(xy, 2);
  });

  it('gives up on a stamp that leaves the image', () => {
    expect(adaptiveMoments(star(4, 4, 0, 5, 5), 80, 80, 5, 5, 4, 15)).toBeUndefined();
  });
});
