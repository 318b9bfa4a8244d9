// The Hierarchical Triangular Mesh (Kunszt, Szalay & Thakar), numbered as lsst.sphgeom numbers it:
// eight root triangles S0..S3 = 8..11 and N0..N3 = 12..15, each split into four children 4i..4i+3
// per level. The APDB indexes positions at level 20 (as dax_apdb does) and the registry's refcat
// shards use level 7. Ids stay below 16·4^level ≤ 2^53 for level ≤ 24, so plain numbers are exact.

import { angleBetween, normalize, type SkyCircle, type UnitVector, unitVector } from './sky-circle';

export const APDB_HTM_LEVEL = 20;
export const REFCAT_HTM_LEVEL = 7;
const MAX_LEVEL = 24;

/** Pixel ids at one level, half-open: [begin, end). */
export interface PixelRange {
  readonly begin: number;
  readonly end: number;
}

type Triangle = readonly [UnitVector, UnitVector, UnitVector];

const X: UnitVector = { x: 1, y: 0, z: 0 };
const Y: UnitVector = { x: 0, y: 1, z: 0 };
const Z: UnitVector = { x: 0, y: 0, z: 1 };
const MX: UnitVector = { x: -1, y: 0, z: 0 };
const MY: UnitVector = { x: 0, y: -1, z: 0 };
const MZ: UnitVector = { x: 0, y: 0, z: -1 };

/** Roots in id order 8..15, vertices counter-clockwise seen from outside the sphere. */
const ROOTS: readonly Triangle[] = [
  [X, MZ, Y],
  [Y, MZ, MX],
  [MX, MZ, MY],
  [MY, MZ, X],
  [X, Z, MY],
  [MY, Z, MX],
  [MX, Z, Y],
  [Y, Z, X],
];

function checkLevel(level: number): void {
  if (!Number.isInteger(level) || level < 0 || level > MAX_LEVEL)
    throw new RangeError(`HTM level ${level} is not an integer in [0, ${MAX_LEVEL}]`);
}

function midpoint(a: UnitVector, b: UnitVector): UnitVector {
  return normalize(a.x + b.x, a.y + b.y, a.z + b.z);
}

/** (a × b) · p ≥ 0: p lies on the left of (or on) the great circle from a to b. */
function leftOf(a: UnitVector, b: UnitVector, p: UnitVector): boolean {
  return (a.y * b.z - a.z * b.y) * p.x + (a.z * b.x - a.x * b.z) * p.y + (a.x * b.y - a.y * b.x) * p.z >= 0;
}

function contains(t: Triangle, p: UnitVector): boolean {
  return leftOf(t[0], t[1], p) && leftOf(t[1], t[2], p) && leftOf(t[2], t[0], p);
}

function children(t: Triangle): readonly Triangle[] {
  const [v0, v1, v2] = t;
  const w0 = midpoint(v1, v2);
  const w1 = midpoint(v0, v2);
  const w2 = midpoint(v0, v1);
  return [
    [v0, w2, w1],
    [v1, w0, w2],
    [v2, w1, w0],
    [w0, w1, w2],
  ];
}

/** HTM id of the trixel holding a unit vector at `level`. */
export function htmIndexOfVector(p: UnitVector, level: number): number {
  checkLevel(level);
  let root = ROOTS.findIndex((t) => contains(t, p));
  // Rounding can leave a point on a root edge outside all eight; the nearest octant's root holds it.
  if (root < 0) root = (p.z >= 0 ? 4 : 0) + octantQuadrant(p);
  let triangle = ROOTS[root] as Triangle;
  let id = 8 + root;
  for (let l = 0; l < level; l++) {
    const kids = children(triangle);
    let k = 0;
    while (k < 3 && !contains(kids[k] as Triangle, p)) k++;
    triangle = kids[k] as Triangle;
    id = id * 4 + k;
  }
  return id;
}

function octantQuadrant(p: UnitVector): number {
  // Root order within a hemisphere walks the quadrants +x+y, -x+y, -x-y, +x-y for S and +x-y.. for N.
  const south = [p.x >= 0 && p.y >= 0, p.x < 0 && p.y >= 0, p.x < 0 && p.y < 0, true];
  const north = [p.x >= 0 && p.y < 0, p.x < 0 && p.y < 0, p.x < 0 && p.y >= 0, true];
  return (p.z >= 0 ? north : south).findIndex(Boolean);
}

/** HTM id of (ra, dec) in degrees at `level` (20 for the APDB's pixelId). */
export function htmIndex(raDeg: number, decDeg: number, level: number = APDB_HTM_LEVEL): number {
  return htmIndexOfVector(unitVector(raDeg, decDeg), level);
}

/** The level a trixel id belongs to, or -1 when the id is no HTM id. */
export function htmLevelOf(id: number): number {
  if (!Number.isInteger(id) || id < 8) return -1;
  let level = 0;
  let root = id;
  while (root >= 16) {
    root = Math.floor(root / 4);
    level++;
  }
  return level <= MAX_LEVEL ? level : -1;
}

/**
 * Ranges of level-`level` ids that cover `circle` (a superset: every point inside lies in a returned
 * range). The search stops subdividing once trixels are a quarter of the radius, then merges the
 * closest neighbouring ranges until at most `maxRanges` remain, as sphgeom's envelope does.
 */
export function htmEnvelope(circle: SkyCircle, level: number = APDB_HTM_LEVEL, maxRanges = 64): PixelRange[] {
  checkLevel(level);
  const scale = 4 ** level;
  if (circle.radiusDeg >= 90) return [{ begin: 8 * scale, end: 16 * scale }];
  const center = unitVector(circle.raDeg, circle.decDeg);
  // A hair of slack so points rounded onto a neighbouring trixel are still covered.
  const radius = (circle.radiusDeg * Math.PI) / 180 + 1e-9;
  const trixelDeg = 90 / 2 ** level;
  const searchLevel = Math.min(
    level,
    Math.max(0, Math.ceil(Math.log2(90 / Math.max(circle.radiusDeg / 4, trixelDeg)))),
  );
  const ranges: PixelRange[] = [];
  const visit = (t: Triangle, id: number, l: number): void => {
    const inside = t.every((v) => angleBetween(v, center) <= radius);
    if (!inside) {
      const middle = normalize(t[0].x + t[1].x + t[2].x, t[0].y + t[1].y + t[2].y, t[0].z + t[1].z + t[2].z);
      const capRadius = Math.max(...t.map((v) => angleBetween(v, middle)));
      if (angleBetween(middle, center) > radius + capRadius) return;
      if (l < searchLevel) {
        for (const [k, child] of children(t).entries()) visit(child, id * 4 + k, l + 1);
        return;
      }
    }
    const shift = 4 ** (level - l);
    ranges.push({ begin: id * shift, end: (id + 1) * shift });
  };
  for (const [i, t] of ROOTS.entries()) visit(t, 8 + i, 0);
  return mergeRanges(ranges, maxRanges);
}

/** Sorts, joins touching ranges, then fills the smallest gaps until at most maxRanges remain. */
export function mergeRanges(input: readonly PixelRange[], maxRanges: number): PixelRange[] {
  const sorted = [...input].sort((a, b) => a.begin - b.begin);
  const merged: PixelRange[] = [];
  for (const range of sorted) {
    const last = merged.at(-1);
    if (last && range.begin <= last.end)
      merged[merged.length - 1] = { begin: last.begin, end: Math.max(last.end, range.end) };
    else merged.push(range);
  }
  while (merged.length > Math.max(1, maxRanges)) {
    let smallest = 0;
    for (let i = 1; i < merged.length - 1; i++) {
      const gap = (merged[i + 1] as PixelRange).begin - (merged[i] as PixelRange).end;
      const best = (merged[smallest + 1] as PixelRange).begin - (merged[smallest] as PixelRange).end;
      if (gap < best) smallest = i;
    }
    const a = merged[smallest] as PixelRange;
    const b = merged[smallest + 1] as PixelRange;
    merged.splice(smallest, 2, { begin: a.begin, end: b.end });
  }
  return merged;
}
