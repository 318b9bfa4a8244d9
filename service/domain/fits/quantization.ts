// Restoring floating-point tiles that were quantized to integers (ZSCALE/ZZERO per tile), with the
// subtractive dithering of the tile-compression convention: a fixed table of 10,000 uniform
// deviates from the Park–Miller generator, entered at an offset set by the tile number and ZDITHER0.

import { FitsError } from './errors';

export type QuantizeMethod = 'NO_DITHER' | 'SUBTRACTIVE_DITHER_1' | 'SUBTRACTIVE_DITHER_2';

const RANDOM_COUNT = 10_000;
/** SUBTRACTIVE_DITHER_2 stores exact zeros as this integer. */
const ZERO_VALUE = -2147483646;

export function toQuantizeMethod(value: string | undefined): QuantizeMethod {
  if (value === undefined || value === 'NONE') return 'NO_DITHER';
  if (value === 'NO_DITHER' || value === 'SUBTRACTIVE_DITHER_1' || value === 'SUBTRACTIVE_DITHER_2')
    return value;
  throw new FitsError(`ZQUANTIZ = '${value}' is not a known quantization method`);
}

let randoms: Float32Array | undefined;

/** The convention's deviates, single precision as the reference writer stores them. */
export function ditherRandoms(): Float32Array {
  if (randoms) return randoms;
  const table = new Float32Array(RANDOM_COUNT);
  const a = 16807;
  const m = 2147483647;
  let seed = 1;
  for (let i = 0; i < RANDOM_COUNT; i++) {
    const product = a * seed;
    seed = product - m * Math.trunc(product / m);
    table[i] = seed / m;
  }
  // The convention fixes the state after 10,000 draws; anything else means the table is wrong.
  if (seed !== 1043618065) throw new Error(`dither generator ended at ${seed}, expected 1043618065`);
  randoms = table;
  return table;
}

export interface TileQuantization {
  readonly method: QuantizeMethod;
  readonly scale: number;
  readonly zero: number;
  /** The integer that marks a NaN pixel, if the tile has any. */
  readonly blank: number | undefined;
  /** 0-based tile number: the dither sequence starts from it. */
  readonly tile: number;
  /** ZDITHER0, 1..10000. */
  readonly seed: number;
}

/** Writes `count` restored floats to `out` from `outOffset`, from the tile's integers in `quantized`. */
export function dequantizeTile(
  quantized: Int32Array,
  count: number,
  out: Float32Array | Float64Array,
  outOffset: number,
  q: TileQuantization,
): void {
  const { scale, zero } = q;
  const blank = q.blank ?? Number.NaN;
  if (q.method === 'NO_DITHER') {
    for (let i = 0; i < count; i++) {
      const v = quantized[i] as number;
      out[outOffset + i] = v === blank ? Number.NaN : v * scale + zero;
    }
    return;
  }
  const table = ditherRandoms();
  const zeroIsExact = q.method === 'SUBTRACTIVE_DITHER_2';
  let seedIndex = (q.tile + q.seed - 1) % RANDOM_COUNT;
  let next = Math.trunc((table[seedIndex] as number) * 500);
  for (let i = 0; i < count; i++) {
    const v = quantized[i] as number;
    if (v === blank) out[outOffset + i] = Number.NaN;
    else if (zeroIsExact && v === ZERO_VALUE) out[outOffset + i] = 0;
    else out[outOffset + i] = (v - (table[next] as number) + 0.5) * scale + zero;
    next++;
    if (next === RANDOM_COUNT) {
      seedIndex = (seedIndex + 1) % RANDOM_COUNT;
      next = Math.trunc((table[seedIndex] as number) * 500);
    }
  }
}
