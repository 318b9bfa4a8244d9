// BITPIX and the typed arrays that hold each pixel type, and the bulk conversion between FITS's
// big-endian bytes and native typed arrays. Byte order is fixed in one native pass per array
// (Buffer#swap16/32/64), never per pixel in JavaScript.

import { FitsError } from './errors';

export type Bitpix = 8 | 16 | 32 | 64 | -32 | -64;

/** Pixel values as stored in a data unit, one array type per BITPIX. */
export type StoredPixels = Uint8Array | Int16Array | Int32Array | BigInt64Array | Float32Array | Float64Array;

const BITPIX_VALUES: readonly Bitpix[] = [8, 16, 32, 64, -32, -64];

export function isBitpix(value: number): value is Bitpix {
  return (BITPIX_VALUES as readonly number[]).includes(value);
}

export function toBitpix(value: number | undefined, keyword = 'BITPIX'): Bitpix {
  if (value === undefined || !isBitpix(value)) {
    throw new FitsError(`${keyword} = ${value} is not one of 8, 16, 32, 64, -32, -64`);
  }
  return value;
}

export function bytesPerPixel(bitpix: Bitpix): 1 | 2 | 4 | 8 {
  return (Math.abs(bitpix) / 8) as 1 | 2 | 4 | 8;
}

export function isIntegerBitpix(bitpix: Bitpix): boolean {
  return bitpix > 0;
}

export function allocateStored(bitpix: Bitpix, count: number): StoredPixels {
  switch (bitpix) {
    case 8:
      return new Uint8Array(count);
    case 16:
      return new Int16Array(count);
    case 32:
      return new Int32Array(count);
    case 64:
      return new BigInt64Array(count);
    case -32:
      return new Float32Array(count);
    case -64:
      return new Float64Array(count);
  }
}

function viewStored(
  bitpix: Bitpix,
  buffer: ArrayBufferLike,
  byteOffset: number,
  count: number,
): StoredPixels {
  switch (bitpix) {
    case 8:
      return new Uint8Array(buffer, byteOffset, count);
    case 16:
      return new Int16Array(buffer, byteOffset, count);
    case 32:
      return new Int32Array(buffer, byteOffset, count);
    case 64:
      return new BigInt64Array(buffer, byteOffset, count);
    case -32:
      return new Float32Array(buffer, byteOffset, count);
    case -64:
      return new Float64Array(buffer, byteOffset, count);
  }
}

/** The BITPIX of a stored-pixel array. */
export function bitpixOf(pixels: StoredPixels): Bitpix {
  if (pixels instanceof Uint8Array) return 8;
  if (pixels instanceof Int16Array) return 16;
  if (pixels instanceof Int32Array) return 32;
  if (pixels instanceof BigInt64Array) return 64;
  if (pixels instanceof Float32Array) return -32;
  return -64;
}

const NATIVE_IS_BIG_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 0;

/** Reverses the byte order of every `width`-byte word of `bytes`, in place. */
export function swapBytes(bytes: Uint8Array, width: 1 | 2 | 4 | 8): void {
  if (width === 1 || NATIVE_IS_BIG_ENDIAN) return;
  const view = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (width === 2) view.swap16();
  else if (width === 4) view.swap32();
  else view.swap64();
}

/**
 * Decodes `count` big-endian pixels starting at `offset` into a native array: one copy and one native
 * swap (the copy also aligns the data). With `inPlace` (the caller gives the bytes away) and aligned
 * data, no copy at all: the pixels are swapped where they lie and returned as a view — a fresh 64 MB
 * array costs more in page faults than the swap itself.
 */
export function decodeBigEndian(
  bytes: Uint8Array,
  offset: number,
  bitpix: Bitpix,
  count: number,
  inPlace = false,
): StoredPixels {
  const width = bytesPerPixel(bitpix);
  const length = count * width;
  if (offset + length > bytes.length) {
    throw new FitsError(
      `data unit needs ${length} bytes but only ${Math.max(0, bytes.length - offset)} remain`,
    );
  }
  const start = bytes.byteOffset + offset;
  if (inPlace && start % width === 0) {
    swapBytes(bytes.subarray(offset, offset + length), width);
    return viewStored(bitpix, bytes.buffer, start, count);
  }
  const pixels = allocateStored(bitpix, count);
  const target = new Uint8Array(pixels.buffer, pixels.byteOffset, length);
  target.set(bytes.subarray(offset, offset + length));
  swapBytes(target, width);
  return pixels;
}

/** Encodes pixels as big-endian bytes into `target` at `offset` (which must have room). */
export function encodeBigEndianInto(pixels: StoredPixels, target: Uint8Array, offset: number): void {
  const source = new Uint8Array(pixels.buffer, pixels.byteOffset, pixels.byteLength);
  const slice = target.subarray(offset, offset + source.length);
  slice.set(source);
  swapBytes(slice, bytesPerPixel(bitpixOf(pixels)));
}

export function encodeBigEndian(pixels: StoredPixels): Uint8Array {
  const out = new Uint8Array(pixels.byteLength);
  encodeBigEndianInto(pixels, out, 0);
  return out;
}
