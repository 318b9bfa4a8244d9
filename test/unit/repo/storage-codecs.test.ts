import { describe, expect, it } from 'vitest';
import { Header, imageHdu, type readFits, writeFits } from '../../../service/domain/fits';
import type { Exposure } from '../../../service/pipeline/engine/storage-classes';
import { codecFor, exposureCodec, rawCodec, typedJsonCodec } from '../../../service/repo/storage-codecs';

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

  it('fails with a clear error on a file that is not an Exposure', () => {
    const single = writeFits([imageHdu(new Float32Array(4), [2, 2])]);
    expect(() => exposureCodec.decode(single)).toThrow('the Exposure file has no MASK HDU');
  });
});
