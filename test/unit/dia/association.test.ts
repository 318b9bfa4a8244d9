// Association rules (ap_association): 1″ radius, one-to-one nearest first, new objects for the rest,
// new object versions with running means; and the 64-bit id packing.

import { describe, expect, it } from 'vitest';
import type { CurrentDiaObject } from '../../../service/domain/apdb/apdb-records';
import { associateDiaSources } from '../../../service/domain/dia/associate-dia-sources';
import { DiaIdError, diaIdPacker } from '../../../service/domain/dia/dia-ids';
import { emptyDiaSourceTable } from '../../../service/domain/diffim/dia-source-table';

const ARCSEC = 1 / 3600;

function sources(positions: ReadonlyArray<readonly [number, number]>, flux = 1000) {
  const t = emptyDiaSourceTable(positions.length);
  positions.forEach(([ra, dec], i) => {
    t.ra[i] = ra;
    t.dec[i] = dec;
    t.psfFlux[i] = flux;
    t.psfFluxErr[i] = 100;
    t.x[i] = i;
    t.y[i] = i;
  });
  return t;
}

function object(id: bigint, ra: number, dec: number, n = 1): CurrentDiaObject {
  return {
    diaObjectId: id,
    validityStartMjdTai: 60000,
    ra,
    dec,
    raErr: null,
    decErr: null,
    nDiaSources: n,
    firstDiaSourceMjdTai: 60000,
    lastDiaSourceMjdTai: 60000,
    pixelId: 0n,
  };
}

const ids = (n: number) => Array.from({ length: n }, (_, i) => 1000n + BigInt(i));

describe('associateDiaSources', () => {
  it('matches within 1″ one-to-one by distance and creates objects for the rest', () => {
    const table = sources([
      [150, 2 + 0.3 * ARCSEC], // nearest to object A
      [150, 2 + 0.6 * ARCSEC], // also near A, but A is taken: new object
      [150.01, 2 + 1.5 * ARCSEC], // 1.5″ from B: too far
    ]);
    const result = associateDiaSources({
      band: 'r',
      midpointMjdTai: 60010,
      diaSources: table,
      diaSourceIds: ids(3),
      objects: [object(7n, 150, 2, 2), object(8n, 150.01, 2)],
      history: [
        { diaObjectId: 7n, band: 'r', psfFlux: 500, psfFluxErr: 100 },
        { diaObjectId: 7n, band: 'g', psfFlux: 300, psfFluxErr: 50 },
      ],
      radiusArcsec: 1,
    });
    expect(result.diaSources.map((s) => s.diaObjectId)).toEqual([7n, 1001n, 1002n]);
    expect(result.matched).toBe(1);
    expect(result.created).toBe(2);
    const a = result.diaObjects[0];
    expect(a).toMatchObject({
      diaObjectId: 7n,
      nDiaSources: 3,
      firstDiaSourceMjdTai: 60000,
      lastDiaSourceMjdTai: 60010,
    });
    expect(a?.dec).toBeCloseTo(2 + 0.1 * ARCSEC, 10);
    expect(a?.psfFlux?.r?.mean).toBeCloseTo(750, 9);
    expect(a?.psfFlux?.r?.meanErr).toBeCloseTo(100 / Math.SQRT2, 9);
    expect(a?.psfFlux?.r?.ndata).toBe(2);
    expect(a?.psfFlux?.g?.ndata).toBe(1);
    expect(result.diaObjects[1]).toMatchObject({
      diaObjectId: 1001n,
      nDiaSources: 1,
      firstDiaSourceMjdTai: 60010,
    });
  });

  it('averages RA across the 0/360 seam', () => {
    const result = associateDiaSources({
      band: 'r',
      midpointMjdTai: 60010,
      diaSources: sources([[0.1 * ARCSEC, 0]]),
      diaSourceIds: ids(1),
      objects: [object(7n, 360 - 0.1 * ARCSEC, 0)],
      history: [],
      radiusArcsec: 1,
    });
    expect(result.diaObjects[0]?.ra).toBeCloseTo(0, 9);
  });
});

describe('diaIdPacker', () => {
  it('packs visit, detector and index above 2^53 without collisions', () => {
    const a = diaIdPacker(2026112800123n, 94);
    const b = diaIdPacker(2026112800123n, 95);
    expect(a(0) > 2n ** 53n).toBe(true);
    expect(a(1) - a(0)).toBe(1n);
    expect(b(0)).not.toBe(a(0));
    expect(a(16383) < b(0)).toBe(true);
    expect(a(16383) < 2n ** 63n).toBe(true);
  });

  it('fails for a detector, visit or index outside its field', () => {
    expect(() => diaIdPacker(1n, 256)).toThrow(DiaIdError);
    expect(() => diaIdPacker(2n ** 41n, 1)).toThrow(DiaIdError);
    expect(() => diaIdPacker(1n, 1)(16384)).toThrow(/raise the detection threshold/);
  });
});
