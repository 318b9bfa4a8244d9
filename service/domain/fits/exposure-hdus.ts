// The three HDUs of an Exposure file (IMAGE with the metadata cards, MASK, VARIANCE), for writers that
// build one from plain pixels: synthetic calibrations and templates. The repo's Exposure codec
// (service/repo/storage-codecs.ts) reads exactly this layout.
import type { Card } from './card';
import type { ImageHdu } from './hdu';
import { imageHdu } from './image-hdu';

export interface ExposurePlanes {
  readonly image: Float32Array;
  readonly width: number;
  readonly height: number;
  readonly cards?: readonly Card[];
  /** Per-pixel variance; a number fills the plane. @default 0 */
  readonly variance?: Float32Array | number;
  /** @default no bits set */
  readonly mask?: Uint16Array;
}

export function exposureHdus(planes: ExposurePlanes): ImageHdu[] {
  const axes = [planes.width, planes.height];
  const pixels = planes.width * planes.height;
  const variance =
    planes.variance instanceof Float32Array
      ? planes.variance
      : new Float32Array(pixels).fill(planes.variance ?? 0);
  return [
    imageHdu(planes.image, axes, { cards: [...(planes.cards ?? [])] }),
    imageHdu(planes.mask ?? new Uint16Array(pixels), axes, { extname: 'MASK' }),
    imageHdu(variance, axes, { extname: 'VARIANCE' }),
  ];
}
