// The benchmark's peer: the same Alard–Lupton math done the straightforward way, as a HOTPANTS-class
// reference (no HOTPANTS package exists in Debian to run instead). The kernel fit convolves every stamp
// with every basis image directly in 2-D and accumulates the full spatial normal equations pixel by
// pixel (no separable filters, no stamp-centre expansion); the subtraction convolves the image and its
// variance directly in 2-D with the kernel evaluated per cell of the same size as ours.

import type { MatchingKernel } from '../../service/domain/diffim/fit-matching-kernel';
import { kernelImageAt, spatialTerms, unknownCount } from '../../service/domain/diffim/fit-matching-kernel';
import type { StampCentres } from '../../service/domain/diffim/kernel-stamps';
import { solveSymmetric } from '../../service/domain/diffim/linear-algebra';
import { MaskBit } from '../../service/domain/image/mask-bits';
import type { MaskedImage } from '../../service/domain/image/masked-image';

/** The global coefficients fitted directly; `template` supplies basis and shape. */
export function directKernelFit(
  target: MaskedImage,
  reference: MaskedImage,
  template: MatchingKernel,
  stamps: StampCentres,
  stampHalf: number,
): MatchingKernel {
  const { basis, width, height } = template;
  const h = basis.half;
  const size = basis.size;
  const m = unknownCount(basis.count);
  const g = new Float64Array(m * m);
  const rhs = new Float64Array(m);
  const row = new Float64Array(m);
  const local = new Float64Array(basis.count);
  for (let s = 0; s < stamps.x.length; s++) {
    const cx = stamps.x[s] as number;
    const cy = stamps.y[s] as number;
    if (
      cx - stampHalf - h < 0 ||
      cy - stampHalf - h < 0 ||
      cx + stampHalf + h >= width ||
      cy + stampHalf + h >= height
    )
      continue;
    for (let y = cy - stampHalf; y <= cy + stampHalf; y++) {
      for (let x = cx - stampHalf; x <= cx + stampHalf; x++) {
        const i = y * width + x;
        const v = (target.variance[i] as number) + (reference.variance[i] as number);
        if (!(v > 0)) continue;
        for (let k = 0; k < basis.count; k++) {
          const image = basis.images[k] as Float64Array;
          let sum = 0;
          for (let q = -h; q <= h; q++)
            for (let p = -h; p <= h; p++)
              sum +=
                (image[(q + h) * size + p + h] as number) *
                (reference.image[(y - q) * width + x - p] as number);
          local[k] = sum;
        }
        const [, tx, ty] = spatialTerms(x, y, width, height);
        row[0] = local[0] as number;
        for (let k = 1; k < basis.count; k++) {
          const o = 1 + 3 * (k - 1);
          row[o] = local[k] as number;
          row[o + 1] = (local[k] as number) * tx;
          row[o + 2] = (local[k] as number) * ty;
        }
        const b = 1 + 3 * (basis.count - 1);
        row[b] = 1;
        row[b + 1] = tx;
        row[b + 2] = ty;
        const w = 1 / v;
        const t = target.image[i] as number;
        for (let r = 0; r < m; r++) {
          const wr = w * (row[r] as number);
          rhs[r] = (rhs[r] as number) + wr * t;
          for (let c = r; c < m; c++) g[r * m + c] = (g[r * m + c] as number) + wr * (row[c] as number);
        }
      }
    }
  }
  for (let r = 0; r < m; r++) for (let c = 0; c < r; c++) g[r * m + c] = g[c * m + r] as number;
  return { ...template, coefficients: solveSymmetric(g, rhs, m, 1e-9) };
}

/** Direct 2-D convolution of image (with K) and variance (with K²), kernel evaluated once per cell. */
export function directConvolve(input: MaskedImage, kernel: MatchingKernel, cellSize: number): MaskedImage {
  const { width, height } = input;
  const h = kernel.basis.half;
  const size = kernel.basis.size;
  const image = new Float32Array(width * height);
  const variance = new Float32Array(width * height);
  const mask = Uint16Array.from(input.mask);
  const k = new Float64Array(size * size);
  const k2 = new Float64Array(size * size);
  for (let y0 = h; y0 < height - h; y0 += cellSize) {
    const y1 = Math.min(y0 + cellSize, height - h);
    for (let x0 = h; x0 < width - h; x0 += cellSize) {
      const x1 = Math.min(x0 + cellSize, width - h);
      kernelImageAt(kernel, (x0 + x1 - 1) / 2, (y0 + y1 - 1) / 2, k);
      for (let p = 0; p < k.length; p++) k2[p] = (k[p] as number) ** 2;
      for (let y = y0; y < y1; y++) {
        for (let x = x0; x < x1; x++) {
          let s = 0;
          let sv = 0;
          for (let q = -h; q <= h; q++) {
            const row = (y - q) * width + x;
            const kr = (q + h) * size + h;
            for (let p = -h; p <= h; p++) {
              s += (k[kr + p] as number) * (input.image[row - p] as number);
              sv += (k2[kr + p] as number) * (input.variance[row - p] as number);
            }
          }
          image[y * width + x] = s;
          variance[y * width + x] = sv;
        }
      }
    }
  }
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++)
      if (x < h || y < h || x >= width - h || y >= height - h)
        mask[y * width + x] = (mask[y * width + x] as number) | MaskBit.NO_DATA;
  return { width, height, image, variance, mask };
}
