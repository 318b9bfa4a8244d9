// DiaForcedSources: PSF photometry at the positions of the known DiaObjects that fall on the detector,
// on the difference (psfFlux) and on the science image (scienceFlux), as ap_pipe's
// DiaForcedSourceTask does. Objects off the image or on NO_DATA pixels get none.

import type { DiaForcedSourceRecord, DiaObjectRecord } from '../apdb/apdb-records';
import type { Band } from '../apdb/apdb-tables';
import { psfPhotometer } from '../diffim/psf-photometry';
import { MaskBit } from '../image/mask-bits';
import type { MaskedImage } from '../image/masked-image';
import type { GaussianPsf } from '../measurement/psf-model';
import { skyToPixel, type TanWcs } from '../wcs/tan-wcs';

export interface ForcedPhotometryInput {
  readonly objects: readonly Pick<DiaObjectRecord, 'diaObjectId' | 'ra' | 'dec'>[];
  readonly difference: MaskedImage;
  readonly science: MaskedImage;
  readonly differencePsf: GaussianPsf;
  readonly sciencePsf: GaussianPsf;
  readonly wcs: TanWcs;
  readonly band: Band;
  readonly midpointMjdTai: number;
  /** Id for the n-th forced source. */
  readonly idOf: (n: number) => bigint;
}

export function forcedPhotometry(input: ForcedPhotometryInput): DiaForcedSourceRecord[] {
  const { difference, science, wcs } = input;
  const onDifference = psfPhotometer(difference, input.differencePsf);
  const onScience = psfPhotometer(science, input.sciencePsf);
  const m = { flux: 0, fluxErr: 0 };
  const out: DiaForcedSourceRecord[] = [];
  for (const o of input.objects) {
    const p = skyToPixel(wcs, o.ra, o.dec);
    const cx = Math.round(p.x);
    const cy = Math.round(p.y);
    if (!(cx >= 0 && cy >= 0 && cx < difference.width && cy < difference.height)) continue;
    if (((difference.mask[cy * difference.width + cx] as number) & MaskBit.NO_DATA) !== 0) continue;
    onDifference(p.x, p.y, m);
    const psfFlux = m.flux;
    const psfFluxErr = m.fluxErr;
    onScience(p.x, p.y, m);
    out.push({
      diaForcedSourceId: input.idOf(out.length),
      diaObjectId: o.diaObjectId,
      ra: o.ra,
      dec: o.dec,
      midpointMjdTai: input.midpointMjdTai,
      psfFlux: Number.isFinite(psfFlux) ? psfFlux : null,
      psfFluxErr: Number.isFinite(psfFluxErr) ? psfFluxErr : null,
      scienceFlux: Number.isFinite(m.flux) ? m.flux : null,
      scienceFluxErr: Number.isFinite(m.fluxErr) ? m.fluxErr : null,
      band: input.band,
    });
  }
  return out;
}
