// Scoring detections against a synthetic truth table (astro.md §6.7): one-to-one matching, nearest
// pair first, within a radius; completeness is the matched fraction of the stars selected.

export interface PointSet {
  readonly x: ArrayLike<number>;
  readonly y: ArrayLike<number>;
}

/** For each truth star, the index of its detection, or −1. */
export function matchToTruth(truth: PointSet, detections: PointSet, radius: number): Int32Array {
  const pairs = candidatePairs(truth, detections, radius);
  pairs.sort((a, b) => a.distance2 - b.distance2);
  const detectionOf = new Int32Array(truth.x.length).fill(-1);
  const taken = new Uint8Array(detections.x.length);
  for (const pair of pairs) {
    if (detectionOf[pair.truth] !== -1 || taken[pair.detection] === 1) continue;
    detectionOf[pair.truth] = pair.detection;
    taken[pair.detection] = 1;
  }
  return detectionOf;
}

interface Pair {
  readonly truth: number;
  readonly detection: number;
  readonly distance2: number;
}

/** Pairs closer than `radius`, found through a grid of radius-sized cells. */
function candidatePairs(truth: PointSet, detections: PointSet, radius: number): Pair[] {
  const cells = new Map<number, number[]>();
  const key = (cx: number, cy: number): number => cx * 1_000_003 + cy;
  for (let d = 0; d < detections.x.length; d++) {
    const k = key(
      Math.floor((detections.x[d] as number) / radius),
      Math.floor((detections.y[d] as number) / radius),
    );
    const list = cells.get(k);
    if (list) list.push(d);
    else cells.set(k, [d]);
  }
  const pairs: Pair[] = [];
  const r2 = radius * radius;
  for (let t = 0; t < truth.x.length; t++) {
    const tx = truth.x[t] as number;
    const ty = truth.y[t] as number;
    const cx = Math.floor(tx / radius);
    const cy = Math.floor(ty / radius);
    for (let i = cx - 1; i <= cx + 1; i++) {
      for (let j = cy - 1; j <= cy + 1; j++) {
        for (const d of cells.get(key(i, j)) ?? []) {
          const dx = (detections.x[d] as number) - tx;
          const dy = (detections.y[d] as number) - ty;
          const distance2 = dx * dx + dy * dy;
          if (distance2 <= r2) pairs.push({ truth: t, detection: d, distance2 });
        }
      }
    }
  }
  return pairs;
}

/** Matched fraction of the truth stars for which `selected` is true. */
export function completeness(detectionOf: Int32Array, selected: (star: number) => boolean): number {
  let total = 0;
  let found = 0;
  for (let t = 0; t < detectionOf.length; t++) {
    if (!selected(t)) continue;
    total++;
    if ((detectionOf[t] as number) >= 0) found++;
  }
  return total === 0 ? Number.NaN : found / total;
}
