// Reference catalog shards of the synthetic sky: the stars' positions and r-band fluxes in the
// service's refcat table layout (service/repo/reference-table.ts).
import type { Hdu } from '../../service/domain/fits';
import { referenceTableHdu } from '../../service/repo/reference-table';
import type { SkyStar } from '../sky/sky-model';

export function refcatTableHdu(stars: readonly SkyStar[]): Hdu {
  return referenceTableHdu({
    ra: stars.map((s) => s.ra),
    dec: stars.map((s) => s.dec),
    flux: stars.map((s) => s.flux),
  });
}
