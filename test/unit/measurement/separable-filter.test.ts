import { describe, expect, it } from 'vitest';
import { convolveSeparable, gaussianKernel } from '../../../service/domain/measurement/separable-filter';

/** Σ k(i)k(j)·image at (x, y): the 2-D sum the two passes must reproduce. */
function direct(image: Float32Array, width: number, kernel: Float64Array, x: number, y: number): number {
  const half = (kernel.length - 1) / 2;
  let sum = 0;
  for (let j = -half; j <= half; j++)
    for (let i = -half; i <= half; i++)
      sum +=
        (kernel[j + half] as number) *
        (kernel[i + half] as number) *
        (image[(y + j) * width + x + i] as number);
  return sum;
}

describe('convolveSeparable', () => {
  // Widths that are not a multiple of four, and heights of one or several 64-row stripes.
  it.each([
    [101, 150, 1.7],
    [37, 29, 0.6],
    [30, 200, 3],
  ])(
    '%i×%i, σ %f: the direct 2-D sum inside, zeros on the border even over old values',
    (width, height, sigma) => {
      const image = new Float32Array(width * height).map((_, i) => 300 + 30 * Math.sin(i * 0.7) + (i % 97));
      const kernel = gaussianKernel(sigma);
      const half = (kernel.length - 1) / 2;
      const out = convolveSeparable(image, width, height, kernel, new Float32Array(width * height).fill(7));
      for (let y = 0; y < height; y++)
        for (let x = 0; x < width; x++) {
          const inside = x >= half && y >= half && x < width - half && y < height - half;
          const value = out[y * width + x] as number;
          if (inside) expect(value).toBeCloseTo(direct(image, width, kernel, x, y), 2);
          else expect(value).toBe(0);
        }
    },
  );

  it('leaves everything zero when the image is narrower than the kernel', () => {
    const out = convolveSeparable(new Float32Array(10 * 40).fill(1), 10, 40, gaussianKernel(2));
    expect(out.every((v) => v === 0)).toBe(true);
  });
});
