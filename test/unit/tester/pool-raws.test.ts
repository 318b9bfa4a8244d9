import { describe, expect, it } from 'vitest';
import { type ImageHdu, imageHdu, physicalPixels, readFits, writeFits } from '../../../service/domain/fits';
import { findColumn, readTableLayout, scalarCell } from '../../../service/domain/fits/binary-table';
import { pixelToSky, separationArcsec, tanWcsFromHeader } from '../../../service/domain/wcs/tan-wcs';
import { CURATED_POOLS } from '../../../tester/pool/curated-groups';
import { simulatePoolRaw } from '../../../tester/pool/simulate-pool-raw';
import { refcatTableHdu } from '../../../tester/seed/refcat-table';
import { sidecarOf } from '../../../tester/synthetic/lsst-raw-file';
import { identityCards, primaryCards, rewritePrimaryHeader } from '../../../tester/upload/rewrite-headers';

const AMP = { dataWidth: 32, dataHeight: 32 };
const latiss = CURATED_POOLS.LATISS.groups[0];
if (!latiss) throw new Error('no LATISS pool');

describe('pool raws and header rewriting', () => {
  const raw = simulatePoolRaw({
    instrument: 'LATISS',
    group: latiss,
    groupIndex: 0,
    detector: 0,
    ampSize: AMP,
  });

  it('writes an LSST raw with a WCS at the pointing, a sidecar and transients inside the detector', () => {
    const file = readFits(raw.bytes);
    const primary = file.hdus[0];
    if (!primary) throw new Error('no primary');
    expect(file.hdus).toHaveLength(17);
    const wcs = tanWcsFromHeader(primary.header);
    const centre = pixelToSky(wcs, (raw.truth.width - 1) / 2, (raw.truth.height - 1) / 2);
    // LATISS's only detector is the boresight.
    expect(separationArcsec(centre, { ra: latiss.raDeg, dec: latiss.decDeg })).toBeLessThan(0.01);
    expect(raw.sidecar?.GROUPID).toBe('latiss-a');
    expect(raw.truth.transients).toHaveLength(5);
    for (const t of raw.truth.transients) {
      expect(t.x).toBeGreaterThan(0);
      expect(t.x).toBeLessThan(raw.truth.width);
    }
  });

  it('rewrites ids and times in the primary header and keeps every byte after it', () => {
    const cards = identityCards({
      instrument: 'LATISS',
      groupId: '2026-11-28T00:00:00.028838',
      dayObs: 20261128,
      seqNum: 28838,
      exposureId: 2026112828838,
      beginMjdTai: 61_372.5,
      exposureTimeSeconds: 30,
    });
    const rewritten = rewritePrimaryHeader(raw.bytes, cards);
    const header = readFits(rewritten).hdus[0]?.header;
    expect(header?.string('OBSID')).toBe('AT_O_20261128_028838');
    expect(header?.string('GROUPID')).toBe('2026-11-28T00:00:00.028838');
    expect(header?.string('DAYOBS')).toBe('20261128');
    expect(header?.integer('SEQNUM')).toBe(28838);
    expect(header?.string('DATE-BEG')).toBe('2026-11-28T12:00:00.000');
    // Untouched: the WCS, the filter, and the amps' bytes.
    expect(header?.string('FILTER')).toBe('SDSSr_65mm~empty');
    const before = physicalPixels(readFits(raw.bytes).hdus[3] as ImageHdu) as Int32Array;
    const after = physicalPixels(readFits(rewritten).hdus[3] as ImageHdu) as Int32Array;
    expect(after).toEqual(before);
    // Same header size here, so the data units sit at the same offsets, byte for byte.
    expect(Buffer.from(rewritten.subarray(2880 * 2)).equals(Buffer.from(raw.bytes.subarray(2880 * 2)))).toBe(
      true,
    );
    expect(rewritten.length - raw.bytes.length).toBe(0);
    expect(sidecarOf(primaryCards(rewritten)).OBSID).toBe('AT_O_20261128_028838');
  });

  it('sets HSC EXP-ID and the group (OBJECT) in HSC raws', () => {
    const hscRaw = new Uint8Array(
      writeFits([
        imageHdu(new Uint16Array(16), [4, 4], { cards: [{ keyword: 'EXP-ID', value: 'HSCE00000001' }] }),
      ]),
    );
    const cards = identityCards({
      instrument: 'HSC',
      groupId: '25232883',
      dayObs: 20261128,
      seqNum: 2883,
      exposureId: 25_232_883,
      beginMjdTai: 61_372.5,
      exposureTimeSeconds: 30,
    });
    const header = readFits(rewritePrimaryHeader(hscRaw, cards)).hdus[0]?.header;
    expect(header?.string('EXP-ID')).toBe('HSCE25232883');
    expect(header?.string('OBJECT')).toBe('25232883');
    expect(header?.string('DATE-OBS')).toBe('2026-11-28');
  });

  it('fails to rewrite bytes that are not FITS', () => {
    expect(() => rewritePrimaryHeader(new Uint8Array(100), [])).toThrow(
      /cannot rewrite the header of a raw that is not FITS.*card 1/,
    );
  });

  it('writes refcat shards as binary tables FITS readers can read back', () => {
    const stars = [
      { ra: 240.01, dec: -30.02, flux: 12345 },
      { ra: 240.02, dec: -29.99, flux: 678 },
    ];
    const file = readFits(writeFits([imageHdu(new Uint8Array(0), []), refcatTableHdu(stars)]));
    const table = file.hdus[1];
    if (table?.kind !== 'other') throw new Error('expected a table');
    const layout = readTableLayout(table.header);
    const view = new DataView(table.data.buffer, table.data.byteOffset, table.data.byteLength);
    const dec = findColumn(layout, 'coord_dec');
    if (!dec) throw new Error('no coord_dec');
    expect(layout.rows).toBe(2);
    expect(scalarCell(view, layout, dec, 1)).toBe(-29.99);
  });
});
