// Alert cutouts: square FITS images of the science, template and difference around a DiaSource, as
// ap_association's packageAlerts makes them — side from the footprint's bboxSize, clamped to 30–102
// pixels — with a TAN WCS shifted to the cutout so a reader can place it on the sky. Pixels outside
// the image are NaN.

import { type Card, imageHdu, writeFits } from '../fits';
import type { MaskedImage } from '../image/masked-image';
import type { TanWcs } from '../wcs/tan-wcs';

export const MIN_CUTOUT_SIZE = 30;
export const MAX_CUTOUT_SIZE = 102;

export function cutoutSize(bboxSize: number): number {
  return Math.min(MAX_CUTOUT_SIZE, Math.max(MIN_CUTOUT_SIZE, Math.ceil(bboxSize)));
}

/** FITS bytes of the `size`² cutout of `image` centred on pixel (x, y). */
export function cutoutFits(image: MaskedImage, wcs: TanWcs, x: number, y: number, size: number): Uint8Array {
  const x0 = Math.round(x) - Math.floor(size / 2);
  const y0 = Math.round(y) - Math.floor(size / 2);
  const pixels = new Float32Array(size * size).fill(Number.NaN);
  for (let j = 0; j < size; j++) {
    const sy = y0 + j;
    if (sy < 0 || sy >= image.height) continue;
    for (let i = 0; i < size; i++) {
      const sx = x0 + i;
      if (sx < 0 || sx >= image.width) continue;
      pixels[j * size + i] = image.image[sy * image.width + sx] as number;
    }
  }
  const cards: Card[] = [
    { keyword: 'CTYPE1', value: 'RA---TAN' },
    { keyword: 'CTYPE2', value: 'DEC--TAN' },
    { keyword: 'CRVAL1', value: wcs.crval1, real: true },
    { keyword: 'CRVAL2', value: wcs.crval2, real: true },
    { keyword: 'CRPIX1', value: wcs.crpix1 - x0, real: true },
    { keyword: 'CRPIX2', value: wcs.crpix2 - y0, real: true },
    { keyword: 'CD1_1', value: wcs.cd11, real: true },
    { keyword: 'CD1_2', value: wcs.cd12, real: true },
    { keyword: 'CD2_1', value: wcs.cd21, real: true },
    { keyword: 'CD2_2', value: wcs.cd22, real: true },
    { keyword: 'LTV1', value: -x0, comment: 'cutout origin in the detector image' },
    { keyword: 'LTV2', value: -y0 },
  ];
  return writeFits([imageHdu(pixels, [size, size], { cards })]);
}
