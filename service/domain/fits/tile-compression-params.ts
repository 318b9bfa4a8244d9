// How an image is tile-compressed: the algorithm, the tile shape and the algorithm's parameters,
// as read from (or written to) the ZCMPTYPE/ZTILEn/ZNAMEn/ZVALn/ZQUANTIZ keywords.

import { FitsError } from './errors';
import type { Header } from './header';
import { type QuantizeMethod, toQuantizeMethod } from './quantization';

export type CompressionType = 'RICE_1' | 'GZIP_1' | 'GZIP_2';

export interface TileCompression {
  readonly type: CompressionType;
  /** ZTILE1..n; defaults to one row of the image per tile. */
  readonly tile?: readonly number[];
  /** RICE_1: pixels per coding block (ZNAME BLOCKSIZE), default 32. */
  readonly blockSize?: number;
  /** RICE_1: bytes per coded integer (ZNAME BYTEPIX). */
  readonly bytePix?: number;
  /** Set when floating-point tiles were quantized to integers (read only: the writer is lossless). */
  readonly quantize?: { readonly method: QuantizeMethod; readonly seed: number };
}

export function toCompressionType(value: string | undefined): CompressionType {
  const name = value?.trim();
  if (name === 'RICE_1' || name === 'RICE_ONE') return 'RICE_1';
  if (name === 'GZIP_1' || name === 'GZIP_2') return name;
  throw new FitsError(`ZCMPTYPE = '${value}' is not supported (only RICE_1, GZIP_1 and GZIP_2 are)`);
}

/** The tile shape: ZTILEn where present, else whole rows (the convention's default). */
export function defaultTile(axes: readonly number[]): number[] {
  return axes.map((n, i) => (i === 0 ? n : 1));
}

/** Reads the compression parameters of a ZIMAGE table header whose image has `axes`. */
export function readTileCompression(
  header: Header,
  axes: readonly number[],
  quantized: boolean,
): TileCompression {
  const type = toCompressionType(header.string('ZCMPTYPE'));
  const tile = axes.map((n, i) => header.integer(`ZTILE${i + 1}`) ?? (i === 0 ? n : 1));
  for (const [i, size] of tile.entries()) {
    if (size < 1) throw new FitsError(`ZTILE${i + 1} = ${size} must be at least 1`);
  }
  const named = namedParameters(header);
  // BYTEPIX defaults to 4 whatever ZBITPIX is: files in the wild rely on it (e.g. ZBITPIX = 16 tiles).
  const rice =
    type === 'RICE_1' ? { blockSize: named.get('BLOCKSIZE') ?? 32, bytePix: named.get('BYTEPIX') ?? 4 } : {};
  if (!quantized) return { type, tile, ...rice };
  const method = toQuantizeMethod(header.string('ZQUANTIZ'));
  const seed = header.integer('ZDITHER0') ?? 1;
  return { type, tile, ...rice, quantize: { method, seed } };
}

function namedParameters(header: Header): Map<string, number> {
  const params = new Map<string, number>();
  for (let i = 1; ; i++) {
    const name = header.string(`ZNAME${i}`);
    if (name === undefined) return params;
    const value = header.number(`ZVAL${i}`);
    if (value !== undefined) params.set(name.trim().toUpperCase(), value);
  }
}
