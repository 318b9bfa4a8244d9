// Alert cutouts: square FITS images of the science, template and difference around a DiaSource, as
// ap_association's packageAlerts makes them — side from the footprint's bboxSize, clamped to 30–102
// pixels — with a TAN WCS shifted to the cutout so a reader can place it on the sky. Pixels outside
// the image are NaN. The three cutouts of one source share their header, so it is formatted once and
// each file is written straight into its final buffer (header, big-endian pixels, block padding).

import { type Card, formatHeader } from '../fits';
import type { MaskedImage } from '../image/masked-image';
import type { TanWcs } from '../wcs/tan-wcs';

export const MIN_CUTOUT_SIZE = 30;
export const MAX_CUTOUT_SIZE = 102;

const BLOCK_LENGTH = 2880;

export function cutoutSize(bboxSize: number): number {
  return Math.min(MAX_CUTOUT_SIZE, Math.max(MIN_CUTOUT_SIZE, Math.ceil(bboxSize)));
}

/** FITS bytes of the `size`² cutout of `image` centred on pixel (x, y). */
export function cutoutFits(image: MaskedImage, wcs: TanWcs, x: number, y: number, size: number): Uint8Array {
  return cutoutsFits([image], wcs, x, y, size)[0] as Uint8Array;
}

/** FITS bytes of the same `size`² cutout (centred on pixel (x, y)) of each image, in order. */
export function cutoutsFits(
  images: readonly MaskedImage[],
  wcs: TanWcs,
  x: number,
  y: number,
  size: number,
): Uint8Array[] {
  const x0 = Math.round(x) - Math.floor(size / 2);
  const y0 = Math.round(y) - Math.floor(size / 2);
  const header = formatHeader(cutoutCards(wcs, x0, y0, size));
  const dataLength = Math.ceil((4 * size * size) / BLOCK_LENGTH) * BLOCK_LENGTH;
  return images.map((image) => {
    const file = new Uint8Array(header.length + dataLength);
    file.set(header);
    writePixels(image, x0, y0, size, new DataView(file.buffer, header.length, 4 * size * size));
    return file;
  });
}

function cutoutCards(wcs: TanWcs, x0: number, y0: number, size: number): Card[] {
  return [
    { keyword: 'SIMPLE', value: true },
    { keyword: 'BITPIX', value: -32 },
    { keyword: 'NAXIS', value: 2 },
    { keyword: 'NAXIS1', value: size },
    { keyword: 'NAXIS2', value: size },
    { keyword: 'EXTEND', value: true },
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
}

/** Big-endian float32 pixels of the cutout, NaN outside the image. */
function writePixels(image: MaskedImage, x0: number, y0: number, size: number, out: DataView): void {
  for (let j = 0; j < size; j++) {
    const sy = y0 + j;
    const inside = sy >= 0 && sy < image.height;
    const row = sy * image.width;
    for (let i = 0; i < size; i++) {
      const sx = x0 + i;
      const value = inside && sx >= 0 && sx < image.width ? (image.image[row + sx] as number) : Number.NaN;
      out.setFloat32(4 * (j * size + i), value, false);
    }
  }
}
