// The background on a coarse mesh: each mesh's sigma-clipped mean of its unmasked pixels, placed at
// the centre of the pixels it covers; meshes with too few usable pixels are filled from neighbours.

import type { MaskedImage } from '../../../domain/image/masked-image';
import { clippedMeanFromSample } from '../statistics/order-statistics';
import type { BackgroundConfig } from './background-config';

export interface BackgroundMesh {
  readonly nx: number;
  readonly ny: number;
  /** Mesh centres in pixel coordinates (pixel i spans i-0.5..i+0.5). */
  readonly centersX: Float64Array;
  readonly centersY: Float64Array;
  /** ny × nx levels, row-major. */
  readonly levels: Float64Array;
  /** Clipped σ of each mesh (NaN where filled). */
  readonly sigmas: Float64Array;
  /** Meshes that had too few usable pixels and were filled. */
  readonly filled: number;
}

/** Values the first guess of each mesh's clipped mean is taken from. */
const SAMPLE_SIZE = 2048;

export class BackgroundError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BackgroundError';
  }
}

export function measureBackgroundMesh(image: MaskedImage, config: BackgroundConfig): BackgroundMesh {
  const { width, height } = image;
  const size = config.meshSize;
  const nx = Math.max(1, Math.round(width / size));
  const ny = Math.max(1, Math.round(height / size));
  const xEdges = edges(width, nx);
  const yEdges = edges(height, ny);
  const centersX = centers(xEdges);
  const centersY = centers(yEdges);
  const levels = new Float64Array(nx * ny).fill(Number.NaN);
  const sigmas = new Float64Array(nx * ny).fill(Number.NaN);
  const largest = maxSpan(xEdges) * maxSpan(yEdges);
  const values = new Float32Array(largest);
  const scratch = new Float32Array(SAMPLE_SIZE);
  const ignored = config.ignoredMask;
  for (let j = 0; j < ny; j++) {
    const y0 = yEdges[j] as number;
    const y1 = yEdges[j + 1] as number;
    for (let i = 0; i < nx; i++) {
      const x0 = xEdges[i] as number;
      const x1 = xEdges[i + 1] as number;
      let n = 0;
      for (let y = y0; y < y1; y++) {
        const row = y * width;
        for (let p = row + x0; p < row + x1; p++) {
          const v = image.image[p] as number;
          if (((image.mask[p] as number) & ignored) === 0 && !Number.isNaN(v)) values[n++] = v;
        }
      }
      if (n < config.minUsableFraction * (x1 - x0) * (y1 - y0) || n < 3) continue;
      const clipped = clippedMeanFromSample(
        values,
        n,
        config.clipSigma,
        config.clipIterations,
        scratch,
        SAMPLE_SIZE,
      );
      levels[j * nx + i] = clipped.mean;
      sigmas[j * nx + i] = clipped.sigma;
    }
  }
  const filled = fillMissing(levels, nx, ny);
  return { nx, ny, centersX, centersY, levels, sigmas, filled };
}

/** nx+1 integer edges splitting `length` pixels into `n` near-equal meshes. */
function edges(length: number, n: number): Int32Array {
  const out = new Int32Array(n + 1);
  for (let i = 0; i <= n; i++) out[i] = Math.round((i * length) / n);
  return out;
}

function centers(e: Int32Array): Float64Array {
  const out = new Float64Array(e.length - 1);
  for (let i = 0; i < out.length; i++) out[i] = ((e[i] as number) + (e[i + 1] as number) - 1) / 2;
  return out;
}

function maxSpan(e: Int32Array): number {
  let max = 0;
  for (let i = 0; i + 1 < e.length; i++) max = Math.max(max, (e[i + 1] as number) - (e[i] as number));
  return max;
}

/**
 * Fills NaN meshes with the mean of their measured 8-neighbours, growing inward pass by pass; throws
 * when no mesh at all could be measured.
 */
function fillMissing(levels: Float64Array, nx: number, ny: number): number {
  let missing = 0;
  for (const v of levels) if (Number.isNaN(v)) missing++;
  const total = missing;
  if (missing === levels.length) {
    throw new BackgroundError(
      'no background mesh has enough unmasked pixels: check the mask or lower minUsableFraction',
    );
  }
  while (missing > 0) {
    const next = Float64Array.from(levels);
    for (let j = 0; j < ny; j++) {
      for (let i = 0; i < nx; i++) {
        if (!Number.isNaN(levels[j * nx + i] as number)) continue;
        let sum = 0;
        let count = 0;
        for (let dj = -1; dj <= 1; dj++) {
          for (let di = -1; di <= 1; di++) {
            const jj = j + dj;
            const ii = i + di;
            if (jj < 0 || jj >= ny || ii < 0 || ii >= nx) continue;
            const v = levels[jj * nx + ii] as number;
            if (!Number.isNaN(v)) {
              sum += v;
              count++;
            }
          }
        }
        if (count > 0) {
          next[j * nx + i] = sum / count;
          missing--;
        }
      }
    }
    levels.set(next);
  }
  return total;
}
