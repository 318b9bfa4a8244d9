// Where a detector looks on the sky for a pointing: a TAN projection about the boresight, with the
// detector's centre offset on the focal plane by its place in the camera. Placement is a grid (LSST
// rafts of 3×3 sensors, HSC in rows of 14, LATISS alone at the centre), gaps and rotation ignored:
// enough for synthetic raws, templates and refcats that agree with each other. Pure.

import type { DetectorGeometry } from '../../service/domain/camera-geometry/detector-geometry';
import { type TanWcs, tanWcs } from '../../service/domain/wcs/tan-wcs';

export interface Pointing {
  /** Boresight, degrees. */
  readonly raDeg: number;
  readonly decDeg: number;
}

/** The detector's column and row on the focal-plane grid, centred on (0, 0). */
export function focalPlaneCell(geometry: DetectorGeometry): { column: number; row: number } {
  const { name, id } = geometry.detector;
  const lsst = /^R(\d)(\d)_S(\d)(\d)$/.exec(name);
  if (lsst) {
    const [rx, ry, sx, sy] = lsst.slice(1).map(Number) as [number, number, number, number];
    // LSSTCam's 5×5 rafts of 3×3 sensors: R22_S11 is the centre (column 7, row 7 of 15).
    const column = geometry.instrument === 'LATISS' ? 0 : 3 * ry + sy - 7;
    const row = geometry.instrument === 'LATISS' ? 0 : 3 * rx + sx - 7;
    return { column, row };
  }
  // HSC: 112 CCDs in 8 rows of 14 (the real layout is a circle of 104 + 8 focus/guide chips).
  return { column: (id % 14) - 6.5, row: Math.floor(id / 14) - 3.5 };
}

/** The detector's TAN WCS (north up, east left) for a boresight. */
export function detectorWcs(geometry: DetectorGeometry, pointing: Pointing): TanWcs {
  const scaleDeg = geometry.pixelScaleArcsec / 3600;
  const { column, row } = focalPlaneCell(geometry);
  const { width, height } = geometry;
  // CRPIX is the boresight in this detector's pixels: the detector's centre minus its offset.
  const crpix1 = (width + 1) / 2 - column * width;
  const crpix2 = (height + 1) / 2 - row * height;
  return tanWcs(pointing.raDeg, pointing.decDeg, crpix1, crpix2, [-scaleDeg, 0, 0, scaleDeg]);
}

/** FITS cards for a TAN WCS. */
export function wcsCards(wcs: TanWcs): { keyword: string; value: string | number; real?: boolean }[] {
  return [
    { keyword: 'CTYPE1', value: 'RA---TAN' },
    { keyword: 'CTYPE2', value: 'DEC--TAN' },
    { keyword: 'CRVAL1', value: wcs.crval1, real: true },
    { keyword: 'CRVAL2', value: wcs.crval2, real: true },
    { keyword: 'CRPIX1', value: wcs.crpix1, real: true },
    { keyword: 'CRPIX2', value: wcs.crpix2, real: true },
    { keyword: 'CD1_1', value: wcs.cd11, real: true },
    { keyword: 'CD1_2', value: wcs.cd12, real: true },
    { keyword: 'CD2_1', value: wcs.cd21, real: true },
    { keyword: 'CD2_2', value: wcs.cd22, real: true },
  ];
}
