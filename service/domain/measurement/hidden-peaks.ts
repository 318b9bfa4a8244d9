// Second-pass deblending: a faint star a few pixels from a bright one makes no peak of its own in the
// filtered image, only a shoulder. Subtracting the first-pass sources' filtered PSF models inside
// each footprint uncovers it as a peak of the residual; a residual peak counts when it clears the
// threshold with the model's own error (a fraction of the subtracted model) added to the noise.

import type { Footprints } from './footprints';
import type { GaussianPsf } from './psf-model';
import type { SourceCatalog } from './source-catalog';

export interface HiddenPeakOptions {
  readonly thresholdSigma: number;
  /** Σk² of the filter: σ_filtered² = noiseFactor · variance. */
  readonly noiseFactor: number;
  /** σ of the (Gaussian) filter kernel, pixels. */
  readonly kernelSigma: number;
  /** Fractional error of the subtracted models, added in quadrature to the noise. */
  readonly modelError: number;
  /** New peaks closer than this to a first-pass source are not new, pixels. */
  readonly minSeparation: number;
}

export interface HiddenPeaks {
  readonly x: number[];
  readonly y: number[];
  readonly footprint: number[];
}

/**
 * Peaks of (filtered − first-pass models ⊗ filter) inside the footprints. `filtered` is overwritten
 * with that residual within the models' stamps; `model` (zero on entry) receives the subtracted models.
 */
export function findHiddenPeaks(
  filtered: Float32Array,
  model: Float32Array,
  variance: Float32Array,
  width: number,
  height: number,
  footprints: Footprints,
  sources: SourceCatalog,
  psf: GaussianPsf,
  options: HiddenPeakOptions,
): HiddenPeaks {
  subtractFilteredModels(filtered, model, width, height, sources, psf, options.kernelSigma);
  const out: HiddenPeaks = { x: [], y: [], footprint: [] };
  const sourcesOf = sourcesByFootprint(sources, footprints.count);
  const t2 = options.thresholdSigma * options.thresholdSigma;
  const sep2 = options.minSeparation * options.minSeparation;
  for (let f = 0; f < footprints.count; f++) {
    for (let r = footprints.runStart[f] as number; r < (footprints.runStart[f + 1] as number); r++) {
      const y = footprints.runY[r] as number;
      for (let x = footprints.runX0[r] as number; x <= (footprints.runX1[r] as number); x++) {
        const i = y * width + x;
        const v = filtered[i] as number;
        if (v <= 0) continue;
        const m = options.modelError * (model[i] as number);
        if (v * v <= t2 * (options.noiseFactor * (variance[i] as number) + m * m)) continue;
        if (!isLocalMaximum(filtered, width, i)) continue;
        if (nearAny(sources, sourcesOf[f] ?? [], x, y, sep2) || nearNew(out, x, y, sep2)) continue;
        out.x.push(x);
        out.y.push(y);
        out.footprint.push(f);
      }
    }
  }
  return out;
}

/** A Gaussian PSF filtered by a Gaussian kernel is a Gaussian with the variances added. */
function subtractFilteredModels(
  filtered: Float32Array,
  model: Float32Array,
  width: number,
  height: number,
  sources: SourceCatalog,
  psf: GaussianPsf,
  kernelSigma: number,
): void {
  const k2 = kernelSigma * kernelSigma;
  const xx = psf.ixx + k2;
  const yy = psf.iyy + k2;
  const xy = psf.ixy;
  const det = xx * yy - xy * xy;
  const a = yy / det;
  const b = -xy / det;
  const c = xx / det;
  const norm = 1 / (2 * Math.PI * Math.sqrt(det));
  const half = Math.ceil(4 * Math.sqrt(Math.max(xx, yy)));
  for (let s = 0; s < sources.count; s++) {
    const flux = sources.psfFlux[s] as number;
    if (!(flux > 0)) continue;
    const xc = sources.x[s] as number;
    const yc = sources.y[s] as number;
    const cx = Math.round(xc);
    const cy = Math.round(yc);
    for (let y = Math.max(0, cy - half); y <= Math.min(height - 1, cy + half); y++) {
      const dy = y - yc;
      for (let x = Math.max(0, cx - half); x <= Math.min(width - 1, cx + half); x++) {
        const dx = x - xc;
        const value = flux * norm * Math.exp(-0.5 * (a * dx * dx + 2 * b * dx * dy + c * dy * dy));
        const i = y * width + x;
        filtered[i] = (filtered[i] as number) - value;
        model[i] = (model[i] as number) + value;
      }
    }
  }
}

function isLocalMaximum(values: Float32Array, width: number, i: number): boolean {
  const v = values[i] as number;
  return (
    v > (values[i - width - 1] as number) &&
    v > (values[i - width] as number) &&
    v > (values[i - width + 1] as number) &&
    v > (values[i - 1] as number) &&
    v >= (values[i + 1] as number) &&
    v >= (values[i + width - 1] as number) &&
    v >= (values[i + width] as number) &&
    v >= (values[i + width + 1] as number)
  );
}

function sourcesByFootprint(sources: SourceCatalog, footprintCount: number): number[][] {
  const lists: number[][] = Array.from({ length: footprintCount }, () => []);
  for (let s = 0; s < sources.count; s++) lists[sources.parent[s] as number]?.push(s);
  return lists;
}

function nearAny(sources: SourceCatalog, members: number[], x: number, y: number, sep2: number): boolean {
  for (const s of members) {
    const dx = (sources.x[s] as number) - x;
    const dy = (sources.y[s] as number) - y;
    if (dx * dx + dy * dy < sep2) return true;
  }
  return false;
}

function nearNew(found: HiddenPeaks, x: number, y: number, sep2: number): boolean {
  for (let k = 0; k < found.x.length; k++) {
    const dx = (found.x[k] as number) - x;
    const dy = (found.y[k] as number) - y;
    if (dx * dx + dy * dy < sep2) return true;
  }
  return false;
}
