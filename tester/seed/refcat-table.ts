// Reference catalog shards as FITS binary tables (one per HTM level-7 trixel, as upstream shards
// refcats): columns coord_ra, coord_dec (degrees, D) and r_flux (electrons in 30 s, D). The codec
// reads tables but writes only images, so this builds the BINTABLE HDU's header and rows itself.
import type { Card, Hdu } from '../../service/domain/fits';
import { Header } from '../../service/domain/fits';
import type { SkyStar } from '../sky/sky-model';

export const REFCAT_COLUMNS = ['coord_ra', 'coord_dec', 'r_flux'] as const;

export function refcatTableHdu(stars: readonly SkyStar[]): Hdu {
  const rowBytes = 8 * REFCAT_COLUMNS.length;
  const data = new Uint8Array(rowBytes * stars.length);
  const view = new DataView(data.buffer);
  stars.forEach((star, row) => {
    const offset = row * rowBytes;
    view.setFloat64(offset, star.ra, false);
    view.setFloat64(offset + 8, star.dec, false);
    view.setFloat64(offset + 16, star.flux, false);
  });
  const cards: Card[] = [
    { keyword: 'XTENSION', value: 'BINTABLE' },
    { keyword: 'BITPIX', value: 8 },
    { keyword: 'NAXIS', value: 2 },
    { keyword: 'NAXIS1', value: rowBytes },
    { keyword: 'NAXIS2', value: stars.length },
    { keyword: 'PCOUNT', value: 0 },
    { keyword: 'GCOUNT', value: 1 },
    { keyword: 'TFIELDS', value: REFCAT_COLUMNS.length },
    ...REFCAT_COLUMNS.flatMap((name, i) => [
      { keyword: `TTYPE${i + 1}`, value: name },
      { keyword: `TFORM${i + 1}`, value: 'D' },
      { keyword: `TUNIT${i + 1}`, value: name === 'r_flux' ? 'electron' : 'deg' },
    ]),
    { keyword: 'EXTNAME', value: 'REFCAT' },
  ];
  return { kind: 'other', type: 'BINTABLE', header: new Header(cards), data };
}
