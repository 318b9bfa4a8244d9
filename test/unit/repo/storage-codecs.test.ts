import { describe, expect, it } from 'vitest';
import { Header, imageHdu, type readFits, writeFits } from '../../../service/domain/fits';
import type { Exposure } from '../../../service/pipeline/engine/storage-classes';
import { codecFor, exposureCodec, rawCodec, typedJsonCodec } from '../../../service/repo/storage-codecs';
import { refcatTableHdu } from '../../../tester/seed/refcat-table';

describe('storage codecs', () => {
  it('round-trips an Exposure through FITS with its metadata cards', () => {
    const n = 6 * 4;
    const exposure: Exposure = {
      width: 6,
      height: 4,
      image: Float32Array.from({ length: n }, (_, i) => i * 1.5 - 3),
      variance: Float32Array.from({ length: n }, (_, i) => i + 0.25),
      mask: Uint16Array.from({ length: n }, (_, i) => (i % 3 === 0 ? 0x8001 : 0)),
      metadata: new Header([{ keyword: 'EXPTIME', value: 30 }]),
    };
    const back = exposureCodec.decode(exposureCodec.encode(exposure)) as Exposure;
    expect([back.width, back.height]).toEqual([6, 4]);
    expect(Array.from(back.image)).toEqual(Array.from(exposure.image));
    expect(Array.from(back.variance)).toEqual(Array.from(exposure.variance));
    expect(Array.from(back.mask)).toEqual(Array.from(exposure.mask));
    expect(back.mask).toBeInstanceOf(Uint16Array);
    expect(back.metadata.number('EXPTIME')).toBe(30);
  });

  it('keeps typed arrays, bigints and headers in JSON datasets', () => {
    const value = {
      x: new Float64Array([1.5, -2]),
      flags: new Uint32Array([7]),
      id: 2n ** 60n,
      header: new Header([{ keyword: 'FILTER', value: 'r' }]),
      nested: { name: 'psf', sigma: 1.2 },
    };
    const back = typedJsonCodec.decode(typedJsonCodec.encode(value)) as typeof value;
    expect(back.x).toBeInstanceOf(Float64Array);
    expect(Array.from(back.x)).toEqual([1.5, -2]);
    expect(back.flags).toBeInstanceOf(Uint32Array);
    expect(back.id).toBe(2n ** 60n);
    expect(back.header.get('FILTER')).toBe('r');
    expect(back.nested).toEqual({ name: 'psf', sigma: 1.2 });
  });

  it('keeps a raw as the camera FITS file and picks codecs by storage class', () => {
    const bytes = writeFits([
      imageHdu(new Int32Array([1, 2, 3, 4]), [2, 2], { cards: [{ keyword: 'EXPTIME', value: 15 }] }),
    ]);
    const raw = rawCodec.decode(bytes) as ReturnType<typeof readFits>;
    expect(raw.hdus[0]?.header.number('EXPTIME')).toBe(15);
    expect(Buffer.from(rawCodec.encode(raw)).equals(Buffer.from(bytes))).toBe(true);
    expect(codecFor('ExposureF')).toBe(exposureCodec);
    expect(codecFor('SourceCatalog')).toBe(typedJsonCodec);
  });

  it('reads a file of the image alone as noise-free and unmasked', () => {
    const single = writeFits([imageHdu(new Float32Array([1, 2, 3, 4]), [2, 2])]);
    const exposure = exposureCodec.decode(single) as Exposure;
    expect(Array.from(exposure.image)).toEqual([1, 2, 3, 4]);
    expect(Array.from(exposure.variance)).toEqual([0, 0, 0, 0]);
    expect(Array.from(exposure.mask)).toEqual([0, 0, 0, 0]);
  });

  it('fails with a clear error on a file that is not an Exposure', () => {
    const halfway = writeFits([
      imageHdu(new Float32Array(4), [2, 2]),
      imageHdu(new Uint16Array(4), [2, 2], { extname: 'MASK' }),
    ]);
    expect(() => exposureCodec.decode(halfway)).toThrow('the Exposure file has no VARIANCE HDU');
    expect(() => exposureCodec.decode(writeFits([imageHdu(new Float32Array(4), [4])]))).toThrow(
      'the Exposure file has no 2-D primary image',
    );
  });

  it('reads a reference catalog from a FITS binary-table shard as from JSON', () => {
    const stars = [
      { ra: 240.001, dec: -30.002, flux: 1e5 },
      { ra: 239.998, dec: -29.997, flux: 2e4 },
    ];
    const codec = codecFor('ReferenceCatalog');
    const fromFits = codec.decode(writeFits([imageHdu(new Float32Array(0), [0]), refcatTableHdu(stars)]));
    expect(fromFits).toEqual({
      ra: Float64Array.from([240.001, 239.998]),
      dec: Float64Array.from([-30.002, -29.997]),
    });
    const catalog = { ra: Float64Array.from([1, 2]), dec: Float64Array.from([3, 4]) };
    expect(codec.decode(codec.encode(catalog))).toEqual(catalog);
  });
});
