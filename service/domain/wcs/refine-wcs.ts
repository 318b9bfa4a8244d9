// Astrometric refinement: the header's TAN WCS is corrected with a reference catalog. Reference stars
// are projected through the header WCS, the bulk pointing offset is found by voting on source−reference
// pixel offsets, pairs are matched one-to-one, and an affine correction (shift, rotation, scale,
// shear) is fitted in the tangent plane with outliers clipped, iterating match and fit. When too
// few stars match, the header WCS is kept and the result says so.

import { type Affine, fitAffine } from './affine-fit';
import { deproject, project, skyToPixel, type TanWcs, tanWcs } from './tan-wcs';

export interface ReferenceCatalog {
  /** Degrees. */
  readonly ra: Float64Array;
  readonly dec: Float64Array;
}

export interface MatchableSources {
  /** 0-based pixel positions of sources good enough to match (clean, bright). */
  readonly x: ArrayLike<number>;
  readonly y: ArrayLike<number>;
}

export interface WcsRefinementOptions {
  /** Largest pointing error searched for, pixels. */
  readonly searchRadiusPixels: number;
  /** Final one-to-one match radius, pixels. */
  readonly matchRadiusPixels: number;
  readonly minMatches: number;
  readonly clipSigma: number;
  readonly iterations: number;
  /** A fit with residual RMS above this (pixels) is not trusted. */
  readonly maxRmsPixels: number;
}

export const DEFAULT_WCS_REFINEMENT_OPTIONS: WcsRefinementOptions = {
  searchRadiusPixels: 50,
  matchRadiusPixels: 3,
  minMatches: 6,
  clipSigma: 3,
  iterations: 6,
  maxRmsPixels: 1,
};

export interface AstrometricSolution {
  readonly wcs: TanWcs;
  /** 'refined': fitted to the reference catalog; 'header': the header WCS, unrefined. */
  readonly source: 'refined' | 'header';
  readonly matchCount: number;
  /** RMS of the fit residuals, pixels (NaN when not refined). */
  readonly rmsPixels: number;
  /** Why the header WCS was kept. */
  readonly fallbackReason?: string;
}

export function refineWcs(
  header: TanWcs,
  sources: MatchableSources,
  reference: ReferenceCatalog,
  options: WcsRefinementOptions = DEFAULT_WCS_REFINEMENT_OPTIONS,
): AstrometricSolution {
  const fallback = (reason: string): AstrometricSolution => ({
    wcs: header,
    source: 'header',
    matchCount: 0,
    rmsPixels: Number.NaN,
    fallbackReason: reason,
  });
  if (sources.x.length < options.minMatches || reference.ra.length < options.minMatches) {
    return fallback(
      `${sources.x.length} sources and ${reference.ra.length} reference stars: need ${options.minMatches} of each`,
    );
  }
  const predicted = projectReference(header, reference);
  const shift = votedShift(sources, predicted, options.searchRadiusPixels);
  if (shift.votes < options.minMatches) {
    return fallback(
      `no consistent offset within ${options.searchRadiusPixels} px (best bin has ${shift.votes} pairs)`,
    );
  }
  let wcs = shiftedWcs(header, shift.dx, shift.dy);
  let result: { affine: Affine; matches: number; rms: number } | undefined;
  let radius = Math.max(options.matchRadiusPixels, 2 * shift.binWidth);
  for (let iteration = 0; iteration < options.iterations; iteration++) {
    const pairs = matchPairs(sources, projectReference(wcs, reference), radius);
    result = fitClipped(wcs, sources, reference, pairs, options);
    if (result === undefined) break;
    wcs = applyAffine(wcs, result.affine);
    radius = options.matchRadiusPixels;
  }
  if (result === undefined || result.matches < options.minMatches) {
    return fallback(`only ${result?.matches ?? 0} reference stars matched: need ${options.minMatches}`);
  }
  if (!(result.rms <= options.maxRmsPixels)) {
    return fallback(`fit residual RMS ${result.rms.toFixed(2)} px exceeds ${options.maxRmsPixels} px`);
  }
  return { wcs, source: 'refined', matchCount: result.matches, rmsPixels: result.rms };
}

function projectReference(wcs: TanWcs, reference: ReferenceCatalog): { x: Float64Array; y: Float64Array } {
  const x = new Float64Array(reference.ra.length);
  const y = new Float64Array(reference.ra.length);
  for (let i = 0; i < x.length; i++) {
    const p = skyToPixel(wcs, reference.ra[i] as number, reference.dec[i] as number);
    x[i] = p.x;
    y[i] = p.y;
  }
  return { x, y };
}

/** The mode of (source − reference) offsets over all pairs within `radius`, in 1-px bins. */
function votedShift(
  sources: MatchableSources,
  reference: { x: Float64Array; y: Float64Array },
  radius: number,
): { dx: number; dy: number; votes: number; binWidth: number } {
  const binWidth = 1;
  const size = 2 * Math.ceil(radius / binWidth) + 1;
  const bins = new Int32Array(size * size);
  const grid = cellGrid(reference.x, reference.y, radius);
  const half = (size - 1) / 2;
  forPairsWithin(sources, reference, grid, radius, (_s, _r, dx, dy) => {
    const bx = Math.round(dx / binWidth) + half;
    const by = Math.round(dy / binWidth) + half;
    bins[by * size + bx] = (bins[by * size + bx] as number) + 1;
  });
  let best = -1;
  let bestVotes = 0;
  for (let by = 1; by < size - 1; by++) {
    for (let bx = 1; bx < size - 1; bx++) {
      let votes = 0;
      for (let j = -1; j <= 1; j++)
        for (let i = -1; i <= 1; i++) votes += bins[(by + j) * size + bx + i] as number;
      if (votes > bestVotes) {
        bestVotes = votes;
        best = by * size + bx;
      }
    }
  }
  if (best < 0) return { dx: 0, dy: 0, votes: 0, binWidth };
  return {
    dx: ((best % size) - half) * binWidth,
    dy: (Math.floor(best / size) - half) * binWidth,
    votes: bestVotes,
    binWidth,
  };
}

/** The WCS whose pixel grid is moved by (dx, dy): a reference star predicted at p lands at p + d. */
function shiftedWcs(wcs: TanWcs, dx: number, dy: number): TanWcs {
  return tanWcs(wcs.crval1, wcs.crval2, wcs.crpix1 + dx, wcs.crpix2 + dy, [
    wcs.cd11,
    wcs.cd12,
    wcs.cd21,
    wcs.cd22,
  ]);
}

interface Pairs {
  readonly source: Int32Array;
  readonly reference: Int32Array;
}

/** One-to-one pairs within `radius`, nearest first. */
function matchPairs(
  sources: MatchableSources,
  reference: { x: Float64Array; y: Float64Array },
  radius: number,
): Pairs {
  const candidates: { s: number; r: number; d2: number }[] = [];
  const grid = cellGrid(reference.x, reference.y, radius);
  forPairsWithin(sources, reference, grid, radius, (s, r, dx, dy) => {
    candidates.push({ s, r, d2: dx * dx + dy * dy });
  });
  candidates.sort((a, b) => a.d2 - b.d2);
  const usedS = new Uint8Array(sources.x.length);
  const usedR = new Uint8Array(reference.x.length);
  const s: number[] = [];
  const r: number[] = [];
  for (const c of candidates) {
    if (usedS[c.s] === 1 || usedR[c.r] === 1) continue;
    usedS[c.s] = 1;
    usedR[c.r] = 1;
    s.push(c.s);
    r.push(c.r);
  }
  return { source: Int32Array.from(s), reference: Int32Array.from(r) };
}

/** Affine fit of pixel offsets to the reference stars' tangent-plane coordinates, clipping outliers. */
function fitClipped(
  wcs: TanWcs,
  sources: MatchableSources,
  reference: ReferenceCatalog,
  pairs: Pairs,
  options: WcsRefinementOptions,
): { affine: Affine; matches: number; rms: number } | undefined {
  const n = pairs.source.length;
  const u = new Float64Array(n);
  const v = new Float64Array(n);
  const xi = new Float64Array(n);
  const eta = new Float64Array(n);
  const use = new Uint8Array(n).fill(1);
  for (let k = 0; k < n; k++) {
    const s = pairs.source[k] as number;
    const r = pairs.reference[k] as number;
    u[k] = (sources.x[s] as number) + 1 - wcs.crpix1;
    v[k] = (sources.y[s] as number) + 1 - wcs.crpix2;
    const t = project(wcs.crval1, wcs.crval2, reference.ra[r] as number, reference.dec[r] as number);
    xi[k] = t.xi;
    eta[k] = t.eta;
  }
  const pixelScale = Math.sqrt(Math.abs(wcs.cd11 * wcs.cd22 - wcs.cd12 * wcs.cd21));
  for (let round = 0; round < 5; round++) {
    const affine = fitAffine(u, v, xi, eta, use);
    if (affine === undefined) return undefined;
    const residual = new Float64Array(n);
    let sum2 = 0;
    let used = 0;
    for (let k = 0; k < n; k++) {
      const dxi = affine.a0 + affine.a1 * (u[k] as number) + affine.a2 * (v[k] as number) - (xi[k] as number);
      const deta =
        affine.b0 + affine.b1 * (u[k] as number) + affine.b2 * (v[k] as number) - (eta[k] as number);
      residual[k] = Math.hypot(dxi, deta) / pixelScale;
      if (use[k] === 1) {
        sum2 += (residual[k] as number) ** 2;
        used++;
      }
    }
    // Radial residuals in 2-D: RMS per axis is rms/√2; clip at clipSigma per-axis σ.
    const rms = Math.sqrt(sum2 / Math.max(1, used));
    const limit = options.clipSigma * Math.max(rms / Math.SQRT2, 1e-3);
    let changed = false;
    for (let k = 0; k < n; k++) {
      const keep = (residual[k] as number) <= limit ? 1 : 0;
      if (keep !== use[k]) changed = true;
      use[k] = keep;
    }
    if (!changed || round === 4) return { affine, matches: used, rms };
  }
  return undefined;
}

/** The WCS with the affine correction folded in: new CD, CRVAL moved to where the shift points. */
function applyAffine(wcs: TanWcs, affine: Affine): TanWcs {
  const moved = deproject(wcs.crval1, wcs.crval2, affine.a0, affine.b0);
  return tanWcs(moved.ra, moved.dec, wcs.crpix1, wcs.crpix2, [affine.a1, affine.a2, affine.b1, affine.b2]);
}

type Grid = { readonly cells: Map<number, number[]>; readonly size: number };

function cellGrid(x: Float64Array, y: Float64Array, size: number): Grid {
  const cells = new Map<number, number[]>();
  for (let i = 0; i < x.length; i++) {
    const xi = x[i] as number;
    const yi = y[i] as number;
    if (!Number.isFinite(xi) || !Number.isFinite(yi)) continue;
    const key = Math.floor(xi / size) * 1_000_003 + Math.floor(yi / size);
    const list = cells.get(key);
    if (list) list.push(i);
    else cells.set(key, [i]);
  }
  return { cells, size };
}

function forPairsWithin(
  sources: MatchableSources,
  reference: { x: Float64Array; y: Float64Array },
  grid: Grid,
  radius: number,
  visit: (source: number, ref: number, dx: number, dy: number) => void,
): void {
  const r2 = radius * radius;
  for (let s = 0; s < sources.x.length; s++) {
    const sx = sources.x[s] as number;
    const sy = sources.y[s] as number;
    const cx = Math.floor(sx / grid.size);
    const cy = Math.floor(sy / grid.size);
    for (let i = cx - 1; i <= cx + 1; i++) {
      for (let j = cy - 1; j <= cy + 1; j++) {
        for (const r of grid.cells.get(i * 1_000_003 + j) ?? []) {
          const dx = sx - (reference.x[r] as number);
          const dy = sy - (reference.y[r] as number);
          if (dx * dx + dy * dy <= r2) visit(s, r, dx, dy);
        }
      }
    }
  }
}
