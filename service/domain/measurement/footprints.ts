// Thresholding and connected components: pixels whose value exceeds ν·√(noiseFactor·variance) are
// collected as horizontal runs row by row, and runs touching across rows (8-connectivity, as in
// SExtractor) are merged with union-find. A footprint is the list of its runs.

export interface ThresholdOptions {
  /** ν: detection threshold in standard deviations of the thresholded image. */
  readonly thresholdSigma: number;
  /** Variance of the thresholded image per unit of input variance (Σk² for a filtered image, 1 for raw pixels). */
  readonly noiseFactor: number;
  /** Pixels this close to an edge are not thresholded (the filter's unseen border). */
  readonly border: number;
  /** Footprints with fewer pixels are dropped. */
  readonly minPixels: number;
  /** Pixels with any of these mask bits never start or join a footprint. */
  readonly excludeMask: number;
}

/** Runs grouped by footprint: footprint f owns runs runStart[f] .. runStart[f+1]−1, in row order. */
export interface Footprints {
  readonly count: number;
  readonly runStart: Int32Array;
  readonly runY: Int32Array;
  readonly runX0: Int32Array;
  /** Inclusive last column of the run. */
  readonly runX1: Int32Array;
  readonly pixelCount: Int32Array;
}

export function findFootprints(
  values: Float32Array,
  variance: Float32Array,
  mask: Uint16Array,
  width: number,
  height: number,
  options: ThresholdOptions,
): Footprints {
  const scale = options.thresholdSigma * options.thresholdSigma * options.noiseFactor;
  const { border, excludeMask } = options;
  const runY: number[] = [];
  const runX0: number[] = [];
  const runX1: number[] = [];
  const parent: number[] = [];
  let previousStart = 0;
  let previousEnd = 0;
  let previousRow = -2;
  for (let y = border; y < height - border; y++) {
    const rowStart = runY.length;
    const offset = y * width;
    let x = border;
    const end = width - border;
    while (x < end) {
      if (!isAbove(offset + x)) {
        x++;
        continue;
      }
      const x0 = x;
      while (x < end && isAbove(offset + x)) x++;
      parent.push(runY.length);
      runY.push(y);
      runX0.push(x0);
      runX1.push(x - 1);
    }
    if (previousRow === y - 1) joinRows(previousStart, previousEnd, rowStart, runY.length);
    if (runY.length > rowStart) {
      previousStart = rowStart;
      previousEnd = runY.length;
      previousRow = y;
    }
  }
  return groupRuns(runY, runX0, runX1, parent, options.minPixels);

  function isAbove(i: number): boolean {
    const v = values[i] as number;
    return v > 0 && v * v > scale * (variance[i] as number) && ((mask[i] as number) & excludeMask) === 0;
  }

  function joinRows(aStart: number, aEnd: number, bStart: number, bEnd: number): void {
    let i = aStart;
    let j = bStart;
    while (i < aEnd && j < bEnd) {
      const ax0 = runX0[i] as number;
      const ax1 = runX1[i] as number;
      const bx0 = runX0[j] as number;
      const bx1 = runX1[j] as number;
      if (ax0 <= bx1 + 1 && ax1 >= bx0 - 1) union(parent, i, j);
      if (ax1 < bx1) i++;
      else j++;
    }
  }
}

function find(parent: number[], i: number): number {
  let root = i;
  while (parent[root] !== root) root = parent[root] as number;
  while (parent[i] !== root) {
    const next = parent[i] as number;
    parent[i] = root;
    i = next;
  }
  return root;
}

function union(parent: number[], a: number, b: number): void {
  const ra = find(parent, a);
  const rb = find(parent, b);
  if (ra !== rb) parent[Math.max(ra, rb)] = Math.min(ra, rb);
}

/** Counting sort of runs by footprint; footprints are numbered in order of their first run. */
function groupRuns(
  runY: number[],
  runX0: number[],
  runX1: number[],
  parent: number[],
  minPixels: number,
): Footprints {
  const n = runY.length;
  const footprintOfRoot = new Int32Array(n).fill(-1);
  const footprintOfRun = new Int32Array(n);
  const pixels: number[] = [];
  for (let r = 0; r < n; r++) {
    const root = find(parent, r);
    let f = footprintOfRoot[root] as number;
    if (f < 0) {
      f = pixels.length;
      footprintOfRoot[root] = f;
      pixels.push(0);
    }
    footprintOfRun[r] = f;
    pixels[f] = (pixels[f] as number) + (runX1[r] as number) - (runX0[r] as number) + 1;
  }
  const kept = new Int32Array(pixels.length).fill(-1);
  let count = 0;
  for (let f = 0; f < pixels.length; f++) if ((pixels[f] as number) >= minPixels) kept[f] = count++;
  const runStart = new Int32Array(count + 1);
  const pixelCount = new Int32Array(count);
  for (let r = 0; r < n; r++) {
    const f = kept[footprintOfRun[r] as number] as number;
    if (f >= 0) runStart[f + 1] = (runStart[f + 1] as number) + 1;
  }
  for (let f = 0; f < count; f++) runStart[f + 1] = (runStart[f + 1] as number) + (runStart[f] as number);
  const total = runStart[count] as number;
  const outY = new Int32Array(total);
  const outX0 = new Int32Array(total);
  const outX1 = new Int32Array(total);
  const cursor = runStart.slice(0, count);
  for (let r = 0; r < n; r++) {
    const f = kept[footprintOfRun[r] as number] as number;
    if (f < 0) continue;
    const at = cursor[f] as number;
    cursor[f] = at + 1;
    outY[at] = runY[r] as number;
    outX0[at] = runX0[r] as number;
    outX1[at] = runX1[r] as number;
    pixelCount[f] = (pixelCount[f] as number) + (runX1[r] as number) - (runX0[r] as number) + 1;
  }
  return { count, runStart, runY: outY, runX0: outX0, runX1: outX1, pixelCount };
}
