import { describe, expect, it } from 'vitest';
import {
  type CompressionType,
  imageHdu,
  type PhysicalPixels,
  physicalPixels,
  readFits,
  writeFits,
} from '../../../service/domain/fits';
import { riceDecode, riceEncode } from '../../../service/domain/fits/rice';
import { pixelDigest } from './reference-tools';
import { SAMPLE_AXES, SAMPLE_TYPES, type SampleType, sampleImage, seededUint32 } from './sample-images';

function roundTrip(pixels: PhysicalPixels, axes: readonly number[], type?: CompressionType, tile?: number[]) {
  const compression = type ? { compression: { type, ...(tile ? { tile } : {}) } } : {};
  const bytes = writeFits([
    imageHdu(new Uint8Array(0), []),
    imageHdu(pixels, axes, { extname: 'X', ...compression }),
  ]);
  expect(bytes.length % 2880).toBe(0);
  const hdu = readFits(bytes).hdus[1];
  if (hdu?.kind !== 'image') throw new Error('not an image');
  return hdu;
}

const INTEGER_RICE: readonly SampleType[] = ['uint8', 'int8', 'int16', 'uint16', 'int32', 'uint32'];

describe('write then read gives the same pixels', () => {
  const cases: [SampleType, CompressionType | undefined][] = [
    ...SAMPLE_TYPES.map((t): [SampleType, undefined] => [t, undefined]),
    ...INTEGER_RICE.map((t): [SampleType, CompressionType] => [t, 'RICE_1']),
    ...SAMPLE_TYPES.map((t): [SampleType, CompressionType] => [t, 'GZIP_1']),
    ...SAMPLE_TYPES.map((t): [SampleType, CompressionType] => [t, 'GZIP_2']),
  ];
  it.each(cases)('%s, %s', (type, compression) => {
    const pixels = sampleImage(type);
    const back = roundTrip(pixels, SAMPLE_AXES, compression);
    const restored = physicalPixels(back);
    expect(restored.constructor).toBe(pixels.constructor);
    expect(pixelDigest(restored)).toBe(pixelDigest(pixels));
    expect(back.compression?.type).toBe(compression);
  });

  it.each(['RICE_1', 'GZIP_1', 'GZIP_2'] as const)('%s with tiles that cut rows and a 3-D image', (type) => {
    const next = seededUint32(9);
    const pixels = Int32Array.from({ length: 30 * 20 * 3 }, () => next() >> 12);
    const back = roundTrip(pixels, [30, 20, 3], type, [7, 6, 2]);
    expect(back.compression?.tile).toEqual([7, 6, 2]);
    expect(Array.from(physicalPixels(back) as Int32Array)).toEqual(Array.from(pixels));
  });

  it('leaves the bytes untouched unless the caller gives them away (then decodes in place)', () => {
    const pixels = sampleImage('float64');
    const bytes = writeFits([imageHdu(pixels, SAMPLE_AXES)]);
    const copy = bytes.slice();
    readFits(bytes);
    expect(bytes).toEqual(copy);
    const consumed = readFits(copy, { consumeBytes: true }).hdus[0];
    if (consumed?.kind !== 'image') throw new Error('not an image');
    expect(consumed.stored.buffer).toBe(copy.buffer);
    expect(pixelDigest(physicalPixels(consumed))).toBe(pixelDigest(pixels));
  });

  it('refuses RICE_1 for floats and 64-bit integers, and compression of the primary', () => {
    expect(() => roundTrip(sampleImage('float32'), SAMPLE_AXES, 'RICE_1')).toThrow(
      /HDU 1: RICE_1 compresses 8-, 16- and 32-bit integers, not BITPIX -32/,
    );
    expect(() => roundTrip(sampleImage('int64'), SAMPLE_AXES, 'RICE_1')).toThrow(/not BITPIX 64/);
    const image = imageHdu(new Int16Array(4), [2, 2], { compression: { type: 'RICE_1' } });
    expect(() => writeFits([image])).toThrow(/HDU 0: the primary HDU cannot be tile-compressed/);
  });

  it('keeps scaled stored values and BSCALE/BZERO/BLANK as read', () => {
    const bytes = writeFits([
      {
        kind: 'image',
        header: readFits(writeFits([imageHdu(new Uint8Array(0), [])])).hdus[0]?.header ?? fail(),
        bitpix: 16,
        axes: [3],
        stored: Int16Array.from([-32768, 0, 4]),
        scaling: { bscale: 0.5, bzero: 10, blank: -32768n },
      },
    ]);
    const hdu = readFits(bytes).hdus[0];
    if (hdu?.kind !== 'image') throw new Error('not an image');
    expect(hdu.scaling).toEqual({ bscale: 0.5, bzero: 10, blank: -32768n });
    expect(Array.from(physicalPixels(hdu) as Float32Array)).toEqual([Number.NaN, 10, 12]);
    expect(writeFits([hdu])).toEqual(bytes);
  });
});

function fail(): never {
  throw new Error('unreachable');
}

describe('Rice coding', () => {
  it.each([1, 2, 4] as const)(
    'round-trips %i-byte integers: random, constant, ramps and extremes',
    (bytePix) => {
      const next = seededUint32(bytePix);
      const bits = bytePix * 8;
      const values = new Int32Array(1000);
      for (let i = 0; i < values.length; i++) values[i] = (next() << (32 - bits)) >> (32 - bits);
      values.fill(5, 100, 180); // zero blocks
      for (let i = 180; i < 300; i++) values[i] = i; // low-entropy blocks
      values[300] = bits === 32 ? -(2 ** 31) : -(2 ** (bits - 1));
      values[301] = bits === 32 ? 2 ** 31 - 1 : 2 ** (bits - 1) - 1; // largest possible difference
      for (let i = 0; i < values.length; i++)
        values[i] = ((values[i] as number) << (32 - bits)) >> (32 - bits);
      const encoded = riceEncode(values, 0, values.length, 32, bytePix);
      const target =
        bytePix === 1
          ? new Int8Array(values.length)
          : bytePix === 2
            ? new Int16Array(values.length)
            : new Int32Array(values.length);
      riceDecode(encoded, target, 0, values.length, 32, bytePix);
      expect(Array.from(target)).toEqual(Array.from(values));
    },
  );

  it('compresses smooth data well (16-bit noise of σ≈8 in under 6 bits a pixel)', () => {
    const next = seededUint32(3);
    const values = Int32Array.from(
      { length: 10_000 },
      () => 1000 + ((next() % 17) - 8) + ((next() % 17) - 8),
    );
    const encoded = riceEncode(values, 0, values.length, 32, 4);
    expect((encoded.length * 8) / values.length).toBeLessThan(6);
  });
});
