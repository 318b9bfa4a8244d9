// The TAN WCS a synthetic raw's primary header carries (real LSST raws carry one, TAN-SIP, from the
// boresight and the camera model): the detector centre at the pointing (RA, DEC), the camera's pixel
// scale, rotated by ROTPA. It is the truth the star field's sky positions are computed with, so tests
// can build a reference catalog from it. Detector (assembled) pixel coordinates for every camera.

import type { DetectorGeometry } from '../../service/domain/camera-geometry/detector-geometry';
import type { Card } from '../../service/domain/fits';
import type { ExposureDescription } from './exposure-description';

export function syntheticWcsCards(geometry: DetectorGeometry, exposure: ExposureDescription): Card[] {
  const scale = geometry.pixelScaleArcsec / 3600;
  const angle = (exposure.rotPaDeg * Math.PI) / 180;
  const cos = Math.cos(angle);
  const sin = Math.sin(angle);
  return [
    // Declares the two WCS axes in a primary that may have none (LSST raws: NAXIS = 0).
    { keyword: 'WCSAXES', value: 2 },
    { keyword: 'CTYPE1', value: 'RA---TAN' },
    { keyword: 'CTYPE2', value: 'DEC--TAN' },
    { keyword: 'CRVAL1', value: exposure.raDeg, real: true },
    { keyword: 'CRVAL2', value: exposure.decDeg, real: true },
    // FITS pixels are 1-based: the centre of a W-pixel axis is (W + 1) / 2.
    { keyword: 'CRPIX1', value: (geometry.width + 1) / 2, real: true },
    { keyword: 'CRPIX2', value: (geometry.height + 1) / 2, real: true },
    // East to the left (RA decreases with x) at ROTPA 0, rotated by ROTPA.
    { keyword: 'CD1_1', value: -scale * cos, real: true },
    { keyword: 'CD1_2', value: scale * sin, real: true },
    { keyword: 'CD2_1', value: scale * sin, real: true },
    { keyword: 'CD2_2', value: scale * cos, real: true },
  ];
}
