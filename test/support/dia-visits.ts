// One star seen on a small synthetic detector in three visits (0.05″ of jitter between them), as
// the DIA half's association input: for the APDB association and preloading tests.

import type { DiaVisitDetector } from '../../service/dia/associate-visit-detector';
import { emptyDiaSourceTable } from '../../service/domain/diffim/dia-source-table';
import { circularPsf } from '../../service/domain/measurement/psf-model';
import { pixelToSky, tanWcs } from '../../service/domain/wcs/tan-wcs';

const SIZE = 200;

export const DIA_VISITS = {
  DETECTOR: 94,
  VISITS: [2026112800101n, 2026112800102n, 2026112800103n],
  wcs: tanWcs(150, 2, 100.5, 100.5, [-5.5e-5, 0, 0, 5.5e-5]),
} as const;

export function visitInput(k: number): DiaVisitDetector {
  const plane = (value: number) => new Float32Array(SIZE * SIZE).fill(value);
  const image = {
    width: SIZE,
    height: SIZE,
    image: plane(0),
    variance: plane(100),
    mask: new Uint16Array(SIZE * SIZE),
  };
  const table = emptyDiaSourceTable(1);
  // The same star, 0.05″ of jitter between visits: well inside the 1″ radius.
  table.x[0] = 100.3 + 0.25 * k;
  table.y[0] = 99.7;
  const sky = pixelToSky(DIA_VISITS.wcs, table.x[0], table.y[0]);
  table.ra[0] = sky.ra;
  table.dec[0] = sky.dec;
  table.psfFlux[0] = 900 + 100 * k;
  table.psfFluxErr[0] = 100;
  table.snr[0] = 9 + k;
  table.bboxSize[0] = 11;
  return {
    visit: DIA_VISITS.VISITS[k] as bigint,
    detector: DIA_VISITS.DETECTOR,
    band: 'r',
    midpointMjdTai: 61000.1 + k,
    diaSources: table,
    difference: image,
    science: image,
    matchedTemplate: image,
    differencePsf: circularPsf(4),
    sciencePsf: circularPsf(4),
    wcs: DIA_VISITS.wcs,
  };
}
