// Stamps for the PSF-matching fit: bright, isolated, unflagged stars of the science catalog whose
// stamp is fully inside both images and free of NO_DATA, saturated or bad pixels, spread over the
// detector (at most a share per cell of a 4×4 grid, brightest first) so the spatial terms are
// constrained everywhere.

import { MaskBit } from '../image/mask-bits';
import type { MaskedImage } from '../image/masked-image';
import type { SourceCatalog } from '../measurement/source-catalog';

export interface StampSelectionOptions {
  /** Stamp half-size, pixels. */
  readonly half: number;
  readonly minSnr: number;
  /** No other catalog source within this many pixels. */
  readonly isolationPixels: number;
  readonly maxStamps: number;
}

/** Integer stamp centres, pixels. */
export interface StampCentres {
  readonly x: Int32Array;
  readonly y: Int32Array;
}

const UNUSABLE = MaskBit.NO_DATA | MaskBit.SAT | MaskBit.BAD;
const GRID = 4;

export function selectKernelStamps(
  sources: SourceCatalog,
  science: MaskedImage,
  template: MaskedImage,
  options: StampSelectionOptions,
): StampCentres {
  const { width, height } = science;
  const { half } = options;
  const candidates: number[] = [];
  for (let s = 0; s < sources.count; s++) {
    if ((sources.flags[s] as number) !== 0 || !((sources.snr[s] as number) >= options.minSnr)) continue;
    const x = Math.round(sources.x[s] as number);
    const y = Math.round(sources.y[s] as number);
    if (x - half < 0 || y - half < 0 || x + half >= width || y + half >= height) continue;
    candidates.push(s);
  }
  // Brightest first; isolation is checked lazily since it scans the whole catalog.
  candidates.sort((a, b) => (sources.snr[b] as number) - (sources.snr[a] as number));
  const perCell = Math.ceil(options.maxStamps / (GRID * GRID));
  const used = new Int32Array(GRID * GRID);
  const xs: number[] = [];
  const ys: number[] = [];
  for (const s of candidates) {
    if (xs.length >= options.maxStamps) break;
    const x = Math.round(sources.x[s] as number);
    const y = Math.round(sources.y[s] as number);
    const cell =
      Math.min(GRID - 1, Math.floor((y * GRID) / height)) * GRID +
      Math.min(GRID - 1, Math.floor((x * GRID) / width));
    if ((used[cell] as number) >= perCell) continue;
    if (!isIsolated(sources, s, options.isolationPixels)) continue;
    if (!cleanStamp(science, x, y, half) || !cleanStamp(template, x, y, half)) continue;
    used[cell] = (used[cell] as number) + 1;
    xs.push(x);
    ys.push(y);
  }
  return { x: Int32Array.from(xs), y: Int32Array.from(ys) };
}

function isIsolated(sources: SourceCatalog, s: number, radius: number): boolean {
  const x = sources.x[s] as number;
  const y = sources.y[s] as number;
  const r2 = radius * radius;
  for (let o = 0; o < sources.count; o++) {
    if (o === s) continue;
    const dx = (sources.x[o] as number) - x;
    const dy = (sources.y[o] as number) - y;
    if (dx * dx + dy * dy < r2) return false;
  }
  return true;
}

function cleanStamp(image: MaskedImage, x: number, y: number, half: number): boolean {
  for (let j = y - half; j <= y + half; j++) {
    const row = j * image.width;
    for (let i = x - half; i <= x + half; i++) {
      if (((image.mask[row + i] as number) & UNUSABLE) !== 0) return false;
      if (!Number.isFinite(image.image[row + i] as number)) return false;
    }
  }
  return true;
}
