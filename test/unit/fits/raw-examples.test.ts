import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { type Hdu, type ImageHdu, physicalPixels, pixelStatistics } from '../../../service/domain/fits';
import { readFitsFile } from '../../../service/fits-io/read-fits-file';

// The repository's parent holds shared/ (see ../shared/README.md).
const RAW_EXAMPLES = path.resolve(__dirname, '../../../../shared/data/raw-examples');
const LSSTCAMSIM = path.join(RAW_EXAMPLES, '7024032100720-R22-S11-det094.fits.fz');
const LATISS = path.join(RAW_EXAMPLES, '3018092000065-det000.fits.gz');

/** HDU 1..16 are amps C10..C17 then C07..C00. */
const AMP_NAMES = [10, 11, 12, 13, 14, 15, 16, 17, 7, 6, 5, 4, 3, 2, 1, 0].map(
  (n) => `Segment${String(n).padStart(2, '0')}`,
);

function amps(hdus: readonly Hdu[]): ImageHdu[] {
  return hdus.slice(1, 17).map((hdu) => {
    if (hdu.kind !== 'image') throw new Error('amp HDU is not an image');
    return hdu;
  });
}

describe('LSSTCamSim raw (RICE_1, .fits.fz)', () => {
  const { hdus } = readFitsFile(LSSTCAMSIM);

  it('has a header-only primary and 16 int32 amps of 576×2048, RICE_1 in 576×1 tiles', () => {
    expect(hdus).toHaveLength(17);
    const primary = hdus[0] as ImageHdu;
    expect(primary.kind).toBe('image');
    expect(primary.axes).toEqual([]);
    for (const amp of amps(hdus)) {
      expect(amp.bitpix).toBe(32);
      expect(amp.axes).toEqual([576, 2048]);
      expect(amp.stored).toBeInstanceOf(Int32Array);
      expect(amp.compression).toMatchObject({ type: 'RICE_1', tile: [576, 1], blockSize: 32, bytePix: 4 });
    }
  });

  it('names the amps Segment10..17 then Segment07..00, in that order', () => {
    expect(amps(hdus).map((amp) => amp.header.get('EXTNAME'))).toEqual(AMP_NAMES);
  });

  it('reads primary and amp header values', () => {
    const primary = hdus[0] as ImageHdu;
    expect(primary.header.get('INSTRUME')).toBe('LSSTCamSim');
    expect(primary.header.get('OBSID')).toBe('MC_S_20240321_000720');
    expect(primary.header.get('DAYOBS')).toBe('20240321');
    expect(primary.header.get('SEQNUM')).toBe(720);
    expect(primary.header.get('EXPTIME')).toBe(30);
    expect(primary.header.cards.find((c) => c.keyword === 'EXPTIME')?.real).toBe(true);
    const c10 = amps(hdus)[0] as ImageHdu;
    expect(c10.header.get('DATASEC')).toBe('[11:522,1:2002]');
    expect(c10.header.get('DETSEC')).toBe('[512:1,4004:2003]');
    expect(c10.header.get('CD1_1')).toBe(8.48414790016351e-6);
  });

  it('rebuilds each amp image header from the table (no table keywords left)', () => {
    const c10 = amps(hdus)[0] as ImageHdu;
    expect(c10.header.cards.slice(0, 7).map((c) => [c.keyword, c.value])).toEqual([
      ['XTENSION', 'IMAGE'],
      ['BITPIX', 32],
      ['NAXIS', 2],
      ['NAXIS1', 576],
      ['NAXIS2', 2048],
      ['PCOUNT', 0],
      ['GCOUNT', 1],
    ]);
    expect(c10.header.cards.some((c) => /^(Z|T(FORM|TYPE)|TFIELDS)/.test(c.keyword))).toBe(false);
    expect(c10.storedHeader?.get('ZCMPTYPE')).toBe('RICE_1');
  });

  it('decodes all 16 amps to their all-zero pixels', () => {
    for (const amp of amps(hdus)) {
      expect(pixelStatistics(physicalPixels(amp))).toEqual({
        count: 576 * 2048,
        nanCount: 0,
        min: 0,
        max: 0,
        mean: 0,
      });
    }
  });
});

describe('LATISS raw (gzip-wrapped, .fits.gz)', () => {
  const { hdus } = readFitsFile(LATISS);

  it('has a primary, 16 int32 amps of 576×2048 and two empty binary tables', () => {
    expect(hdus).toHaveLength(19);
    for (const amp of amps(hdus)) {
      expect(amp.bitpix).toBe(32);
      expect(amp.axes).toEqual([576, 2048]);
      expect(amp.compression).toBeUndefined();
    }
    for (const table of hdus.slice(17)) {
      expect(table).toMatchObject({ kind: 'other', type: 'BINTABLE' });
      expect(table.kind === 'other' && table.data.length).toBe(0);
    }
  });

  it('names the amps Segment10..17 then Segment07..00', () => {
    expect(amps(hdus).map((amp) => amp.header.get('EXTNAME'))).toEqual(AMP_NAMES);
  });

  it('reads primary and amp header values, including free-format strings and comments', () => {
    const primary = hdus[0] as ImageHdu;
    expect(primary.header.get('INSTRUME')).toBe('LSST_ATISS');
    expect(primary.header.get('OBSID')).toBe('AT_C_20180920_000065');
    expect(primary.header.get('DAYOBS')).toBe('20180920');
    expect(primary.header.get('SEQNUM')).toBe(65);
    expect(primary.header.get('CONTRLLR')).toBe('C');
    expect(primary.header.cards.find((c) => c.keyword === 'DAYOBS')?.comment).toBe(
      'The observation day as defined in the image name',
    );
    const c10 = amps(hdus)[0] as ImageHdu;
    expect(c10.header.get('DATASEC')).toBe('[4:512,1:2000]');
    expect(c10.header.get('WCSNAMEA')).toBe('AMPLIFIER');
    expect(c10.header.get('DTM1_1')).toBe(-1);
  });

  it('decodes all 16 amps to their all-zero pixels', () => {
    for (const amp of amps(hdus)) {
      expect(pixelStatistics(physicalPixels(amp))).toMatchObject({ min: 0, max: 0, nanCount: 0 });
    }
  });
});
