// Plain (uncompressed) image HDUs: decoding a data unit into a typed array, building an image from
// physical pixels, and the header cards a writer must emit — derived from the pixels, never trusted
// from a header that may describe other data.

import { bitpixOf, decodeBigEndian, toBitpix } from './bitpix';
import type { Card } from './card';
import { FitsError } from './errors';
import { type ImageHdu, pixelCount, readAxes } from './hdu';
import { Header } from './header';
import { type PhysicalPixels, readScaling, type Scaling, storedFromPhysical } from './scaling';
import type { TileCompression } from './tile-compression-params';

/**
 * Decodes an IMAGE extension or a primary array whose data unit starts at `dataOffset`; with
 * `inPlace` the pixels may be swapped in `bytes` and returned as a view of them.
 */
export function readPlainImage(
  header: Header,
  bytes: Uint8Array,
  dataOffset: number,
  inPlace = false,
): ImageHdu {
  const bitpix = toBitpix(header.integer('BITPIX'));
  const axes = readAxes(header, 'NAXIS');
  const stored = decodeBigEndian(bytes, dataOffset, bitpix, pixelCount(axes), inPlace);
  return { kind: 'image', header, bitpix, axes, stored, scaling: readScaling(header) };
}

export interface ImageOptions {
  /** Cards to carry (EXTNAME, WCS, ...); structural and scaling cards among them are replaced. */
  readonly cards?: readonly Card[];
  readonly extname?: string;
  /** Tile-compress the image when written (extensions only). */
  readonly compression?: TileCompression;
}

/** An image HDU from physical pixels; unsigned and int8 arrays are stored with the BZERO conventions. */
export function imageHdu(
  pixels: PhysicalPixels,
  axes: readonly number[],
  options: ImageOptions = {},
): ImageHdu {
  if (pixelCount(axes) !== pixels.length) {
    throw new FitsError(
      `axes ${axes.join('×')} hold ${pixelCount(axes)} pixels but the array has ${pixels.length}`,
    );
  }
  const { stored, scaling } = storedFromPhysical(pixels);
  let cards = [...(options.cards ?? [])];
  if (options.extname !== undefined) {
    cards = cards.filter((card) => card.keyword !== 'EXTNAME');
    cards.unshift({ keyword: 'EXTNAME', value: options.extname });
  }
  return {
    kind: 'image',
    header: new Header(cards),
    bitpix: bitpixOf(stored),
    axes,
    stored,
    scaling,
    ...(options.compression ? { compression: options.compression } : {}),
  };
}

const DERIVED =
  /^(SIMPLE|XTENSION|BITPIX|NAXIS\d*|EXTEND|PCOUNT|GCOUNT|GROUPS|BZERO|BSCALE|BLANK|CHECKSUM|DATASUM|END)$/;

/** The header's own cards, without the ones a writer derives from the data. */
export function carriedCards(header: Header): Card[] {
  return header.cards.filter((card) => !(card.value !== undefined && DERIVED.test(card.keyword)));
}

/** BSCALE/BZERO/BLANK for a scaling; 2^63 goes out as an exact integer, not a rounded real. */
export function scalingCards(scaling: Scaling): Card[] {
  const cards: Card[] = [];
  if (scaling.bscale !== 1 || scaling.bzero !== 0) {
    cards.push({ keyword: 'BSCALE', value: scaling.bscale });
    const { bzero } = scaling;
    const exact = Number.isInteger(bzero) && !Number.isSafeInteger(bzero) ? BigInt(bzero) : bzero;
    cards.push({ keyword: 'BZERO', value: exact });
  }
  if (scaling.blank !== undefined) {
    const blank = scaling.blank;
    const value =
      blank >= BigInt(Number.MIN_SAFE_INTEGER) && blank <= BigInt(Number.MAX_SAFE_INTEGER)
        ? Number(blank)
        : blank;
    cards.push({ keyword: 'BLANK', value });
  }
  return cards;
}

/** Structural cards of an uncompressed image HDU at position `index`. */
export function imageStructureCards(hdu: ImageHdu, index: number): Card[] {
  const cards: Card[] = [
    index === 0 ? { keyword: 'SIMPLE', value: true } : { keyword: 'XTENSION', value: 'IMAGE' },
    { keyword: 'BITPIX', value: hdu.bitpix },
    { keyword: 'NAXIS', value: hdu.axes.length },
  ];
  hdu.axes.forEach((n, i) => {
    cards.push({ keyword: `NAXIS${i + 1}`, value: n });
  });
  if (index === 0) cards.push({ keyword: 'EXTEND', value: true });
  else cards.push({ keyword: 'PCOUNT', value: 0 }, { keyword: 'GCOUNT', value: 1 });
  return cards;
}
