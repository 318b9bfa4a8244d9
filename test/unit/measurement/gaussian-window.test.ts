import { describe, expect, it } from 'vitest';
import { gaussianWindow } from '../../../service/domain/measurement/gaussian-window';

describe('gaussianWindow', () => {
  // Round, tilted, and sheared far past the factorisation bound (its factors would overflow: evaluated
  // pixel by pixel); the window is off centre so the offsets are not symmetric.
  it.each([
    [0.25, 0, 0.25],
    [0.4, -0.15, 0.3],
    [32, 30, 32],
  ])('a %f, b %f, c %f: every weight is the direct exponential', (a, b, c) => {
    const columns = 13;
    const rows = 9;
    const dx0 = -7.3;
    const dy0 = -2.6;
    const out = new Float64Array(columns * rows);
    gaussianWindow(a, b, c, dx0, dy0, columns, rows, out);
    for (let j = 0; j < rows; j++)
      for (let i = 0; i < columns; i++) {
        const dx = dx0 + i;
        const dy = dy0 + j;
        const expected = Math.exp(-0.5 * (a * dx * dx + 2 * b * dx * dy + c * dy * dy));
        expect(Math.abs((out[j * columns + i] as number) - expected)).toBeLessThanOrEqual(
          1e-12 * Math.max(expected, 1e-300) + 1e-300,
        );
      }
  });
});
