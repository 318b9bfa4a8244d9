// BZERO/BSCALE/BLANK: from stored values to physical ones and back. The unsigned conventions
// (BZERO = 2^(n-1) with BSCALE = 1) map to unsigned typed arrays without loss; other scalings give
// floats with BLANK pixels as NaN, as astropy does (float32 for BITPIX 8/16, float64 for 32/64).

import { type Bitpix, bitpixOf, type StoredPixels } from './bitpix';
import { FitsError } from './errors';
import type { Header } from './header';

/** Physical pixel values: stored types plus the unsigned/signed-byte conventions and scaled floats. */
export type PhysicalPixels = StoredPixels | Int8Array | Uint16Array | Uint32Array | BigUint64Array;

export interface Scaling {
  readonly bscale: number;
  /** bigint only for 2^63, the unsigned 64-bit convention, which a double holds exactly anyway. */
  readonly bzero: number;
  /** The stored integer that marks an undefined pixel, if any. */
  readonly blank?: bigint;
}

export const IDENTITY: Scaling = { bscale: 1, bzero: 0 };

const UNSIGNED_ZERO: Readonly<Record<number, number>> = { 8: -128, 16: 2 ** 15, 32: 2 ** 31, 64: 2 ** 63 };

export function readScaling(header: Header): Scaling {
  const bscale = header.number('BSCALE') ?? 1;
  const bzero = header.number('BZERO') ?? 0;
  const blankValue = header.get('BLANK');
  if (blankValue === undefined) return { bscale, bzero };
  if (typeof blankValue !== 'number' && typeof blankValue !== 'bigint') {
    throw new FitsError(`BLANK should be an integer, found ${String(blankValue)}`);
  }
  return { bscale, bzero, blank: BigInt(blankValue) };
}

function isUnsignedConvention(bitpix: Bitpix, scaling: Scaling): boolean {
  return scaling.bscale === 1 && UNSIGNED_ZERO[bitpix] === scaling.bzero;
}

/** Physical values of a data unit; returns `stored` itself when no scaling applies. */
export function physicalFromStored(stored: StoredPixels, scaling: Scaling): PhysicalPixels {
  const bitpix = bitpixOf(stored);
  if (scaling.bscale === 1 && scaling.bzero === 0) return stored;
  if (isUnsignedConvention(bitpix, scaling)) return flipSignBit(stored);
  const { bscale, bzero } = scaling;
  if (stored instanceof Float32Array || stored instanceof Float64Array) {
    const out =
      stored instanceof Float32Array ? new Float32Array(stored.length) : new Float64Array(stored.length);
    for (let i = 0; i < stored.length; i++) out[i] = (stored[i] as number) * bscale + bzero;
    return out;
  }
  const out =
    bitpix === 8 || bitpix === 16 ? new Float32Array(stored.length) : new Float64Array(stored.length);
  if (stored instanceof BigInt64Array) {
    const blank = scaling.blank;
    for (let i = 0; i < stored.length; i++) {
      const v = stored[i] as bigint;
      out[i] = v === blank ? Number.NaN : Number(v) * bscale + bzero;
    }
    return out;
  }
  const blank = scaling.blank === undefined ? Number.NaN : Number(scaling.blank);
  for (let i = 0; i < stored.length; i++) {
    const v = stored[i] as number;
    out[i] = v === blank ? Number.NaN : v * bscale + bzero;
  }
  return out;
}

/**
 * Offsetting by 2^(n-1) is flipping the top bit, so the unsigned views are one XOR pass over the
 * stored words (of a copy: the stored array stays as read).
 */
function flipSignBit(stored: StoredPixels): PhysicalPixels {
  if (stored instanceof Uint8Array) {
    const out = new Int8Array(stored.length);
    const bytes = new Uint8Array(out.buffer);
    for (let i = 0; i < stored.length; i++) bytes[i] = (stored[i] as number) ^ 0x80;
    return out;
  }
  if (stored instanceof Int16Array) {
    const out = new Uint16Array(stored.length);
    for (let i = 0; i < stored.length; i++) out[i] = (stored[i] as number) ^ 0x8000;
    return out;
  }
  if (stored instanceof Int32Array) {
    const out = new Uint32Array(stored.length);
    for (let i = 0; i < stored.length; i++) out[i] = ((stored[i] as number) ^ 0x80000000) >>> 0;
    return out;
  }
  if (stored instanceof BigInt64Array) {
    const out = new BigUint64Array(stored.length);
    new Uint8Array(out.buffer).set(new Uint8Array(stored.buffer, stored.byteOffset, stored.byteLength));
    flipTopBitOf64(new Uint32Array(out.buffer));
    return out;
  }
  throw new FitsError('unsigned-integer BZERO on a floating-point image');
}

/** Flips bit 63 of each 64-bit word seen as pairs of native 32-bit words. */
function flipTopBitOf64(words: Uint32Array): void {
  const high = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 1 : 0;
  for (let i = high; i < words.length; i += 2) words[i] = ((words[i] as number) ^ 0x80000000) >>> 0;
}

export interface StoredForm {
  readonly stored: StoredPixels;
  readonly scaling: Scaling;
}

/** How to store physical pixels losslessly: the unsigned arrays use the BZERO conventions. */
export function storedFromPhysical(pixels: PhysicalPixels): StoredForm {
  if (pixels instanceof Int8Array) {
    const stored = new Uint8Array(pixels.length);
    for (let i = 0; i < pixels.length; i++) stored[i] = ((pixels[i] as number) ^ 0x80) & 0xff;
    return { stored, scaling: { bscale: 1, bzero: -128 } };
  }
  if (pixels instanceof Uint16Array) {
    const stored = new Int16Array(pixels.length);
    for (let i = 0; i < pixels.length; i++) stored[i] = (pixels[i] as number) ^ 0x8000;
    return { stored, scaling: { bscale: 1, bzero: 2 ** 15 } };
  }
  if (pixels instanceof Uint32Array) {
    const stored = new Int32Array(pixels.length);
    for (let i = 0; i < pixels.length; i++) stored[i] = (pixels[i] as number) ^ 0x80000000;
    return { stored, scaling: { bscale: 1, bzero: 2 ** 31 } };
  }
  if (pixels instanceof BigUint64Array) {
    const stored = new BigInt64Array(pixels.length);
    new Uint8Array(stored.buffer).set(new Uint8Array(pixels.buffer, pixels.byteOffset, pixels.byteLength));
    flipTopBitOf64(new Uint32Array(stored.buffer));
    return { stored, scaling: { bscale: 1, bzero: 2 ** 63 } };
  }
  return { stored: pixels, scaling: IDENTITY };
}
