// Rice compression of integer tiles (FITS tile-compression convention, RICE_1): each block of
// BLOCKSIZE pixel differences is coded with one split level `fs` — unary high bits, `fs` raw low bits —
// or marked all-equal (code 0) or stored raw (high entropy). Bit-level loops keep state in locals and
// write straight into typed arrays: these run once per pixel of every detector.

import { FitsError } from './errors';

/** Integer arrays a Rice tile decodes into (the value is wrapped to the array's type). */
export type RiceTarget = Int32Array | Int16Array | Uint8Array | Int8Array;

export type BytePix = 1 | 2 | 4;

interface RiceCodes {
  /** Bits of the per-block split code. */
  readonly fsBits: number;
  /** Split code meaning "differences stored raw". */
  readonly fsMax: number;
  readonly bBits: number;
}

function codesFor(bytePix: BytePix): RiceCodes {
  if (bytePix === 1) return { fsBits: 3, fsMax: 6, bBits: 8 };
  if (bytePix === 2) return { fsBits: 4, fsMax: 14, bBits: 16 };
  return { fsBits: 5, fsMax: 25, bBits: 32 };
}

export function toBytePix(value: number): BytePix {
  if (value === 1 || value === 2 || value === 4) return value;
  throw new FitsError(`RICE_1 BYTEPIX = ${value} is not 1, 2 or 4`);
}

/**
 * Decodes `count` pixels from `input` (exactly one tile's bytes) into `out` from `outOffset`.
 * Throws a FitsError when the bytes run out before the pixels do.
 */
export function riceDecode(
  input: Uint8Array,
  out: RiceTarget,
  outOffset: number,
  count: number,
  blockSize: number,
  bytePix: BytePix,
): void {
  const { fsBits, fsMax, bBits } = codesFor(bytePix);
  const shift = 32 - bBits;
  const length = input.length;
  if (length < bytePix + 1) throw corrupt(`has ${length} bytes, fewer than a Rice header needs`);
  let cp = 0;
  let lastpix = 0;
  for (let k = 0; k < bytePix; k++) lastpix = (lastpix << 8) | (input[cp++] as number);
  let b = input[cp++] as number;
  let nbits = 8;
  let i = 0;
  while (i < count) {
    nbits -= fsBits;
    while (nbits < 0) {
      b = (b << 8) | (input[cp++] as number);
      nbits += 8;
    }
    const fs = (b >>> nbits) - 1;
    b &= (1 << nbits) - 1;
    const blockEnd = Math.min(i + blockSize, count);
    if (fs < 0) {
      // Every difference is zero: the block repeats the last pixel.
      for (; i < blockEnd; i++) out[outOffset + i] = lastpix;
    } else if (fs === fsMax) {
      for (; i < blockEnd; i++) {
        let k = bBits - nbits;
        let diff = k >= 32 ? 0 : b << k;
        for (k -= 8; k >= 0; k -= 8) {
          b = input[cp++] as number;
          diff |= b << k;
        }
        if (nbits > 0) {
          b = input[cp++] as number;
          diff |= b >>> -k;
          b &= (1 << nbits) - 1;
        } else {
          b = 0;
        }
        diff = (diff & 1) === 0 ? diff >>> 1 : ~(diff >>> 1);
        lastpix = ((diff + lastpix) << shift) >> shift;
        out[outOffset + i] = lastpix;
      }
    } else if (fs > fsMax) {
      throw corrupt(`has split code ${fs + 1}, above the maximum ${fsMax + 1}`);
    } else {
      for (; i < blockEnd; i++) {
        while (b === 0) {
          if (cp >= length) throw corrupt('ends inside a run of zero bits');
          nbits += 8;
          b = input[cp++] as number;
        }
        const nzero = nbits - (32 - Math.clz32(b));
        nbits -= nzero + 1;
        b ^= 1 << nbits;
        nbits -= fs;
        while (nbits < 0) {
          b = (b << 8) | (input[cp++] as number);
          nbits += 8;
        }
        let diff = (nzero << fs) | (b >>> nbits);
        b &= (1 << nbits) - 1;
        diff = (diff & 1) === 0 ? diff >>> 1 : ~(diff >>> 1);
        lastpix = ((diff + lastpix) << shift) >> shift;
        out[outOffset + i] = lastpix;
      }
    }
    // Reads past the end yield undefined (taken as 0), so the check is once per block, not per byte.
    if (cp > length) throw corrupt(`is ${length} bytes, shorter than its ${count} pixels need`);
  }
}

function corrupt(problem: string): FitsError {
  return new FitsError(`Rice-compressed tile ${problem}`);
}

/** Accumulates bits most-significant first into a preallocated byte buffer. */
class BitWriter {
  readonly bytes: Uint8Array;
  position = 0;
  private accumulator = 0;
  private pending = 0;

  constructor(capacity: number) {
    this.bytes = new Uint8Array(capacity);
  }

  /** Appends the low `n` bits of `value`; n ≤ 24. */
  write(value: number, n: number): void {
    this.accumulator = (this.accumulator << n) | value;
    this.pending += n;
    while (this.pending >= 8) {
      this.pending -= 8;
      this.bytes[this.position++] = (this.accumulator >>> this.pending) & 0xff;
    }
    this.accumulator &= (1 << this.pending) - 1;
  }

  writeZeros(n: number): void {
    for (let left = n; left > 0; left -= 24) this.write(0, Math.min(24, left));
  }

  finish(): Uint8Array {
    if (this.pending > 0) this.bytes[this.position++] = (this.accumulator << (8 - this.pending)) & 0xff;
    return this.bytes.subarray(0, this.position);
  }
}

/** Rice-codes `count` integers of `values` from `offset`; values are taken modulo 2^(8·bytePix). */
export function riceEncode(
  values: ArrayLike<number>,
  offset: number,
  count: number,
  blockSize: number,
  bytePix: BytePix,
): Uint8Array {
  const { fsBits, fsMax, bBits } = codesFor(bytePix);
  const shift = 32 - bBits;
  const blocks = Math.ceil(count / blockSize);
  // Raw blocks bound every block (see below), so this capacity is never exceeded.
  const writer = new BitWriter(bytePix + count * bytePix + blocks + 2);
  let lastpix = count > 0 ? (values[offset] as number) | 0 : 0;
  writeRaw(writer, lastpix >>> 0, bBits);
  const diffs = new Uint32Array(blockSize);
  for (let start = 0; start < count; start += blockSize) {
    const n = Math.min(blockSize, count - start);
    let sum = 0;
    for (let j = 0; j < n; j++) {
      const next = (values[offset + start + j] as number) | 0;
      const d = ((next - lastpix) << shift) >> shift;
      lastpix = next;
      // Zigzag: 0, -1, 1, -2, ... → 0, 1, 2, 3, ...; d is already wrapped to bBits, so this fits too.
      diffs[j] = (d << 1) ^ (d >> 31);
      sum += diffs[j] as number;
    }
    const fs = splitLevel(sum, n);
    if (fs === 0 && sum === 0) {
      writer.write(0, fsBits);
      continue;
    }
    if (fs >= fsMax || codedBits(diffs, n, fs) > n * bBits) {
      writer.write(fsMax + 1, fsBits);
      for (let j = 0; j < n; j++) writeRaw(writer, diffs[j] as number, bBits);
      continue;
    }
    writer.write(fs + 1, fsBits);
    const lowMask = (1 << fs) - 1;
    for (let j = 0; j < n; j++) {
      const diff = diffs[j] as number;
      writer.writeZeros(Math.floor(diff / 2 ** fs));
      writer.write(1, 1);
      if (fs > 0) writer.write(diff & lowMask, fs);
    }
  }
  return writer.finish().slice();
}

/** The split level from the block's mean difference (the rule of the reference implementation). */
function splitLevel(sum: number, n: number): number {
  const mean = Math.max(0, (sum - n / 2 - 1) / n);
  let p = Math.floor(mean) >>> 1;
  let fs = 0;
  while (p > 0) {
    p >>>= 1;
    fs++;
  }
  return fs;
}

function codedBits(diffs: Uint32Array, n: number, fs: number): number {
  let bits = 0;
  for (let j = 0; j < n; j++) bits += Math.floor((diffs[j] as number) / 2 ** fs) + 1 + fs;
  return bits;
}

function writeRaw(writer: BitWriter, value: number, bBits: number): void {
  if (bBits <= 16) {
    writer.write(value, bBits);
    return;
  }
  writer.write(value >>> 16, 16);
  writer.write(value & 0xffff, 16);
}
