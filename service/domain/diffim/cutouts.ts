// Alert cutouts: square FITS images of the science, template and difference around a DiaSource, as
// ap_association's packageAlerts makes them — side from the footprint's bboxSize, clamped to 30–102
// pixels — with a TAN WCS shifted to the cutout so a reader can place it on the sky. Pixels outside
// the image are NaN. The three cutouts of one source share their header: it is a copy of a header
// formatted once per WCS with only the six cards that move with the cutout formatted anew. Each file
// is written straight into its final buffer (header, pixels copied by row then byte-swapped to big
// endian, block padding).

import { type Card, formatHeader } from '../fits';
import { headerLines } from '../fits/header';
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
  const header = cutoutHeader(wcs, x0, y0, size);
  const dataLength = Math.ceil((4 * size * size) / BLOCK_LENGTH) * BLOCK_LENGTH;
  return images.map((image) => {
    const file = new Uint8Array(header.length + dataLength);
    file.set(header);
    writePixels(image, x0, y0, size, new Float32Array(file.buffer, header.length, size * size));
    if (LITTLE_ENDIAN_HOST) Buffer.from(file.buffer, header.length, 4 * size * size).swap32();
    return file;
  });
}

const CARD_LENGTH = 80;
/** Cards of cutoutCards that depend on the cutout's size and origin: NAXISn, CRPIXn, LTVn. */
const MOVING_CARDS = [3, 4, 10, 11, 16, 17];
/** The header of the first cutout made with each WCS: the fixed cards of every later one. */
const headerTemplates = new WeakMap<TanWcs, Uint8Array>();

function cutoutHeader(wcs: TanWcs, x0: number, y0: number, size: number): Uint8Array {
  const cards = cutoutCards(wcs, x0, y0, size);
  const template = headerTemplates.get(wcs);
  if (!template) {
    const header = formatHeader(cards);
    headerTemplates.set(wcs, header);
    return header;
  }
  const header = template.slice();
  const lines = headerLines(MOVING_CARDS.map((index) => cards[index] as Card));
  lines.forEach((line, k) => {
    const at = (MOVING_CARDS[k] as number) * CARD_LENGTH;
    for (let i = 0; i < CARD_LENGTH; i++) header[at + i] = line.charCodeAt(i);
  });
  return header;
}

const LITTLE_ENDIAN_HOST = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

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

/** The cutout's float32 pixels in host order, row by row, NaN outside the image. */
function writePixels(image: MaskedImage, x0: number, y0: number, size: number, out: Float32Array): void {
  const from = Math.max(0, x0);
  const to = Math.min(image.width, x0 + size);
  for (let j = 0; j < size; j++) {
    const sy = y0 + j;
    const row = j * size;
    if (sy < 0 || sy >= image.height || to <= from) {
      out.fill(Number.NaN, row, row + size);
      continue;
    }
    out.fill(Number.NaN, row, row + from - x0);
    out.set(image.image.subarray(sy * image.width + from, sy * image.width + to), row + from - x0);
    out.fill(Number.NaN, row + to - x0, row + size);
  }
}
