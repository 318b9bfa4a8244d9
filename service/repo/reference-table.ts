// Reference catalog shards as FITS binary tables (one per HTM trixel, as upstream shards refcats):
// columns coord_ra, coord_dec (degrees) and, when known, r_flux (electrons in 30 s), all doubles.
// The FITS writer writes images only, so this builds the BINTABLE HDU's header and rows itself.
import type { Card, Hdu } from '../domain/fits';
import { Header } from '../domain/fits';

export interface ReferenceRows {
  readonly ra: ArrayLike<number>;
  readonly dec: ArrayLike<number>;
  readonly flux?: ArrayLike<number>;
}

export function referenceTableHdu(rows: ReferenceRows): Hdu {
  const columns = rows.flux
    ? (['coord_ra', 'coord_dec', 'r_flux'] as const)
    : (['coord_ra', 'coord_dec'] as const);
  const rowBytes = 8 * columns.length;
  const count = rows.ra.length;
  const data = new Uint8Array(rowBytes * count);
  const view = new DataView(data.buffer);
  for (let row = 0; row < count; row++) {
    const offset = row * rowBytes;
    view.setFloat64(offset, rows.ra[row] as number, false);
    view.setFloat64(offset + 8, rows.dec[row] as number, false);
    if (rows.flux) view.setFloat64(offset + 16, rows.flux[row] as number, false);
  }
  const cards: Card[] = [
    { keyword: 'XTENSION', value: 'BINTABLE' },
    { keyword: 'BITPIX', value: 8 },
    { keyword: 'NAXIS', value: 2 },
    { keyword: 'NAXIS1', value: rowBytes },
    { keyword: 'NAXIS2', value: count },
    { keyword: 'PCOUNT', value: 0 },
    { keyword: 'GCOUNT', value: 1 },
    { keyword: 'TFIELDS', value: columns.length },
    ...columns.flatMap((name, i) => [
      { keyword: `TTYPE${i + 1}`, value: name },
      { keyword: `TFORM${i + 1}`, value: 'D' },
      { keyword: `TUNIT${i + 1}`, value: name === 'r_flux' ? 'electron' : 'deg' },
    ]),
    { keyword: 'EXTNAME', value: 'REFCAT' },
  ];
  return { kind: 'other', type: 'BINTABLE', header: new Header(cards), data };
}
