// Deterministic test images for every pixel type, from a seeded generator (no Math.random).

import type { PhysicalPixels } from '../../../service/domain/fits';

/** mulberry32: a small seeded generator; returns uniform 32-bit unsigned integers. */
export function seededUint32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
}

export const SAMPLE_AXES = [53, 37] as const;
const COUNT = SAMPLE_AXES[0] * SAMPLE_AXES[1];

export type SampleType =
  | 'uint8'
  | 'int8'
  | 'int16'
  | 'uint16'
  | 'int32'
  | 'uint32'
  | 'int64'
  | 'uint64'
  | 'float32'
  | 'float64';

export const SAMPLE_TYPES: readonly SampleType[] = [
  'uint8',
  'int8',
  'int16',
  'uint16',
  'int32',
  'uint32',
  'int64',
  'uint64',
  'float32',
  'float64',
];

/** Full-range random values, with a smooth run and NaNs (floats) so every code path is hit. */
export function sampleImage(type: SampleType, seed = 1): PhysicalPixels {
  const next = seededUint32(seed);
  const big = (): bigint => (BigInt(next()) << 32n) | BigInt(next());
  const fill = <T extends { length: number; [i: number]: number }>(array: T): T => {
    for (let i = 0; i < array.length; i++) array[i] = next();
    // a stretch of equal values and a gentle ramp: Rice's zero blocks and small-split blocks
    for (let i = 100; i < 200; i++) array[i] = 7;
    for (let i = 200; i < 300; i++) array[i] = i;
    return array;
  };
  switch (type) {
    case 'uint8':
      return fill(new Uint8Array(COUNT));
    case 'int8':
      return fill(new Int8Array(COUNT));
    case 'int16':
      return fill(new Int16Array(COUNT));
    case 'uint16':
      return fill(new Uint16Array(COUNT));
    case 'int32':
      return fill(new Int32Array(COUNT));
    case 'uint32':
      return fill(new Uint32Array(COUNT));
    case 'int64':
      return BigInt64Array.from({ length: COUNT }, () => BigInt.asIntN(64, big()));
    case 'uint64':
      return BigUint64Array.from({ length: COUNT }, () => big());
    case 'float32':
    case 'float64': {
      const array = type === 'float32' ? new Float32Array(COUNT) : new Float64Array(COUNT);
      for (let i = 0; i < COUNT; i++) array[i] = (next() / 2 ** 32 - 0.5) * 1e6;
      array[5] = Number.NaN;
      array[6] = Number.POSITIVE_INFINITY;
      array[7] = -0;
      return array;
    }
  }
}
