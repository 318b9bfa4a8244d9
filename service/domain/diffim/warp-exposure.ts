// Resampling a template onto the science pixel grid through both WCSs: each science pixel is mapped
// to the sky and back into the template (exactly on a coarse grid, bilinearly in between, as the LSST
// warper's interpolation length does), then the template is sampled with a separable Lanczos kernel
// from a lookup table (the pixel loop in WebAssembly SIMD, diffim/lanczos-span, over stripes of output
// rows and the source rows they reach). Variance is propagated with the squared weights (covariance
// between warped pixels is not tracked); mask bits are ORed from the pixels around the sample point.

import type { MaskedImage } from '../image/masked-image';
import { pixelToSky, skyToPixel, type TanWcs } from '../wcs/tan-wcs';
import { LanczosSpans, PHASES } from './lanczos-span';

export interface WarpOptions {
  /** Lanczos order a: the kernel spans 2a pixels per axis. */
  readonly lanczosOrder: number;
  /** Exact WCS transforms every this many pixels (at most), bilinear in between. */
  readonly gridSpacing: number;
  /**
   * Largest error, pixels, the bilinear positions may have against the exact transform (checked at
   * every grid cell's centre); the spacing is halved until it holds. @default 0.01
   */
  readonly maxInterpolationErrorPixels?: number;
}

const MAX_INTERPOLATION_ERROR_PIXELS = 0.01;

export const DEFAULT_WARP_OPTIONS: WarpOptions = {
  lanczosOrder: 3,
  gridSpacing: 32,
  maxInterpolationErrorPixels: MAX_INTERPOLATION_ERROR_PIXELS,
};

/** Output rows per stripe: the source rows they need are copied into wasm memory together. */
const STRIPE_ROWS = 64;
/** Source positions beyond this, pixels (or not finite), make a span NO_DATA outright. */
const FAR_AWAY = 1e9;

export interface WarpedImage extends MaskedImage {
  /** Fraction of output pixels that received data (the rest are NO_DATA). */
  readonly coverage: number;
}

export function warpExposure(
  source: MaskedImage,
  sourceWcs: TanWcs,
  targetWcs: TanWcs,
  width: number,
  height: number,
  options: WarpOptions = DEFAULT_WARP_OPTIONS,
): WarpedImage {
  const a = options.lanczosOrder;
  if (!(Number.isInteger(a) && a >= 1 && a <= 5)) throw new RangeError(`lanczosOrder ${a} must be 1–5`);
  const grid = checkedPixelGrid(sourceWcs, targetWcs, width, height, options);
  const stripes = sourceStripes(grid, width, height, source.height, a);
  const sourceRows = Math.max(1, ...stripes.map((s) => s.rowHi - s.rowLo));
  const spans = new LanczosSpans(a, lanczosTable(a), sourceRows * source.width, STRIPE_ROWS * width);
  const image = new Float32Array(width * height);
  const variance = new Float32Array(width * height);
  const mask = new Uint16Array(width * height);
  const rowX = new Float64Array(grid.columns);
  const rowY = new Float64Array(grid.columns);
  let covered = 0;
  for (const stripe of stripes) {
    spans.loadSource(source.image, source.variance, source.mask, source.width, stripe.rowLo, stripe.rowHi);
    for (let y = stripe.y0; y < stripe.y1; y++) {
      grid.interpolateRow(y, rowX, rowY);
      covered += sampleRow(spans, grid.spacing, rowX, rowY, width, (y - stripe.y0) * width);
    }
    spans.store(image, variance, mask, stripe.y0 * width, (stripe.y1 - stripe.y0) * width);
  }
  return { width, height, image, variance, mask, coverage: covered / (width * height) };
}

/** One output row: between two grid nodes the source position moves by a constant step per pixel. */
function sampleRow(
  spans: LanczosSpans,
  spacing: number,
  rowX: Float64Array,
  rowY: Float64Array,
  width: number,
  out: number,
): number {
  let covered = 0;
  for (let x = 0, gi = 0; x < width; x += spacing, gi++) {
    const sx = rowX[gi] as number;
    const sy = rowY[gi] as number;
    const ex = rowX[gi + 1] as number;
    const ey = rowY[gi + 1] as number;
    const count = Math.min(spacing, width - x);
    if (Math.max(Math.abs(sx), Math.abs(sy), Math.abs(ex), Math.abs(ey)) < FAR_AWAY)
      covered += spans.sample(count, sx, sy, (ex - sx) / spacing, (ey - sy) / spacing, out + x);
    else covered += spans.sample(count, -FAR_AWAY, -FAR_AWAY, 0, 0, out + x);
  }
  return covered;
}

/** Output rows [y0, y1) and the source rows [rowLo, rowHi) their Lanczos windows can reach. */
interface Stripe {
  readonly y0: number;
  readonly y1: number;
  readonly rowLo: number;
  readonly rowHi: number;
}

/**
 * Positions are linear between grid nodes, so the nodes that start spans and the row's last sample
 * bound every sample; a row of margin on each side absorbs the rounding of the stepped positions.
 */
function sourceStripes(
  grid: PixelGrid,
  width: number,
  height: number,
  sourceHeight: number,
  order: number,
): Stripe[] {
  const rowX = new Float64Array(grid.columns);
  const rowY = new Float64Array(grid.columns);
  const last = Math.ceil(width / grid.spacing) - 1;
  const lastFraction = (width - 1 - last * grid.spacing) / grid.spacing;
  const stripes: Stripe[] = [];
  for (let y0 = 0; y0 < height; y0 += STRIPE_ROWS) {
    const y1 = Math.min(y0 + STRIPE_ROWS, height);
    let low = Infinity;
    let high = -Infinity;
    for (let y = y0; y < y1; y++) {
      grid.interpolateRow(y, rowX, rowY);
      const end = rowY[last] as number;
      rowY[last + 1] = end + ((rowY[last + 1] as number) - end) * lastFraction;
      for (let i = 0; i <= last + 1; i++) {
        const sy = rowY[i] as number;
        if (!(Math.abs(sy) < FAR_AWAY)) continue;
        low = Math.min(low, sy);
        high = Math.max(high, sy);
      }
    }
    const rowLo = low <= high ? Math.max(0, Math.floor(low) - order - 1) : 0;
    const rowHi = low <= high ? Math.min(sourceHeight, Math.floor(high) + order + 2) : 0;
    stripes.push({ y0, y1, rowLo: Math.min(rowLo, rowHi), rowHi });
  }
  return stripes;
}

/** Lanczos weights for PHASES+1 sub-pixel phases, each row of 2a taps normalised to sum 1. */
function lanczosTable(a: number): Float64Array {
  const taps = 2 * a;
  const table = new Float64Array((PHASES + 1) * taps);
  for (let p = 0; p <= PHASES; p++) {
    const f = p / PHASES;
    let sum = 0;
    for (let k = 0; k < taps; k++) {
      const w = lanczos(f - (k - a + 1), a);
      table[p * taps + k] = w;
      sum += w;
    }
    for (let k = 0; k < taps; k++) table[p * taps + k] = (table[p * taps + k] as number) / sum;
  }
  return table;
}

function lanczos(d: number, a: number): number {
  if (d === 0) return 1;
  if (Math.abs(d) >= a) return 0;
  const pd = Math.PI * d;
  return (a * Math.sin(pd) * Math.sin(pd / a)) / (pd * pd);
}

export interface PixelGrid {
  readonly spacing: number;
  readonly columns: number;
  /** Source coordinates at every grid column for output row y, bilinear between grid rows. */
  interpolateRow(y: number, outX: Float64Array, outY: Float64Array): void;
}

/** The coarsest grid, from `gridSpacing` down by halves, whose interpolation error is within bounds. */
function checkedPixelGrid(
  sourceWcs: TanWcs,
  targetWcs: TanWcs,
  width: number,
  height: number,
  options: WarpOptions,
): PixelGrid {
  let spacing = options.gridSpacing;
  for (;;) {
    const grid = pixelGrid(sourceWcs, targetWcs, width, height, spacing);
    if (
      spacing === 1 ||
      interpolationError(grid, sourceWcs, targetWcs, width, height) <=
        (options.maxInterpolationErrorPixels ?? MAX_INTERPOLATION_ERROR_PIXELS)
    )
      return grid;
    spacing = Math.max(1, Math.floor(spacing / 2));
  }
}

/** Largest distance between interpolated and exact source positions at the grid cells' centres. */
export function interpolationError(
  grid: PixelGrid,
  sourceWcs: TanWcs,
  targetWcs: TanWcs,
  width: number,
  height: number,
): number {
  const half = grid.spacing / 2;
  const rowX = new Float64Array(grid.columns);
  const rowY = new Float64Array(grid.columns);
  let worst = 0;
  for (let y = half; y < height; y += grid.spacing) {
    grid.interpolateRow(y, rowX, rowY);
    for (let i = 0; i + 1 < grid.columns && i * grid.spacing + half < width; i++) {
      const sky = pixelToSky(targetWcs, i * grid.spacing + half, y);
      const exact = skyToPixel(sourceWcs, sky.ra, sky.dec);
      const dx = ((rowX[i] as number) + (rowX[i + 1] as number)) / 2 - exact.x;
      const dy = ((rowY[i] as number) + (rowY[i + 1] as number)) / 2 - exact.y;
      worst = Math.max(worst, Math.hypot(dx, dy));
    }
  }
  return worst;
}

/** Exact target → sky → source transforms at grid nodes (the last node may lie past the edge). */
function pixelGrid(
  sourceWcs: TanWcs,
  targetWcs: TanWcs,
  width: number,
  height: number,
  spacing: number,
): PixelGrid {
  if (!(Number.isInteger(spacing) && spacing >= 1))
    throw new RangeError(`gridSpacing ${spacing} must be ≥ 1`);
  const columns = Math.ceil((width - 1) / spacing) + 2;
  const rows = Math.ceil((height - 1) / spacing) + 2;
  const gx = new Float64Array(columns * rows);
  const gy = new Float64Array(columns * rows);
  for (let j = 0; j < rows; j++) {
    for (let i = 0; i < columns; i++) {
      const sky = pixelToSky(targetWcs, i * spacing, j * spacing);
      const p = skyToPixel(sourceWcs, sky.ra, sky.dec);
      gx[j * columns + i] = p.x;
      gy[j * columns + i] = p.y;
    }
  }
  return {
    spacing,
    columns,
    interpolateRow(y, outX, outY) {
      const g = y / spacing;
      const j = Math.min(Math.floor(g), rows - 2);
      const t = g - j;
      for (let i = 0; i < columns; i++) {
        const k = j * columns + i;
        outX[i] = (gx[k] as number) * (1 - t) + (gx[k + columns] as number) * t;
        outY[i] = (gy[k] as number) * (1 - t) + (gy[k + columns] as number) * t;
      }
    },
  };
}
