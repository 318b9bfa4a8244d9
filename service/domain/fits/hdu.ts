// What one HDU is once read: an image (from an IMAGE/primary array or a tile-compressed table) or
// another extension kept as raw bytes so that files can be listed and rewritten without loss.

import type { Bitpix, StoredPixels } from './bitpix';
import { FitsError } from './errors';
import type { Header } from './header';
import { type PhysicalPixels, physicalFromStored, type Scaling } from './scaling';
import type { TileCompression } from './tile-compression-params';

export interface ImageHdu {
  readonly kind: 'image';
  /**
   * The image's header. For a tile-compressed HDU this is the image header the table describes
   * (ZBITPIX → BITPIX, ZNAXISn → NAXISn, ...), which is what a user of the image wants to see.
   */
  readonly header: Header;
  /** BITPIX of the stored values (ZBITPIX for a compressed image). */
  readonly bitpix: Bitpix;
  /** NAXIS1 (fastest-varying), NAXIS2, ...; empty for a header-only HDU. */
  readonly axes: readonly number[];
  /** Values as stored, before BZERO/BSCALE; length is the product of `axes` (0 when there are none). */
  readonly stored: StoredPixels;
  readonly scaling: Scaling;
  /** How the image is (or is to be) tile-compressed; undefined for a plain image. */
  readonly compression?: TileCompression;
  /** For a compressed HDU: the binary-table header it was read from. */
  readonly storedHeader?: Header;
}

/** Any other extension (tables, random groups, foreign XTENSIONs): header and data bytes as read. */
export interface OtherHdu {
  readonly kind: 'other';
  /** XTENSION value ('BINTABLE', 'TABLE', ...) or 'PRIMARY' for a random-groups primary. */
  readonly type: string;
  readonly header: Header;
  /** The data unit without padding (main table and heap for a BINTABLE). */
  readonly data: Uint8Array;
}

export type Hdu = ImageHdu | OtherHdu;

/** Physical pixel values: BZERO/BSCALE/BLANK applied, unsigned conventions as unsigned arrays. */
export function physicalPixels(hdu: ImageHdu): PhysicalPixels {
  return physicalFromStored(hdu.stored, hdu.scaling);
}

export function pixelCount(axes: readonly number[]): number {
  return axes.length === 0 ? 0 : axes.reduce((product, n) => product * n, 1);
}

/** NAXIS1..NAXISn (or ZNAXIS1..), checked to be non-negative integers. */
export function readAxes(header: Header, prefix: 'NAXIS' | 'ZNAXIS'): number[] {
  const naxis = header.requiredInteger(prefix);
  if (naxis < 0 || naxis > 999) throw new FitsError(`${prefix} = ${naxis} is outside 0..999`);
  const axes: number[] = [];
  for (let i = 1; i <= naxis; i++) {
    const n = header.requiredInteger(`${prefix}${i}`);
    if (n < 0) throw new FitsError(`${prefix}${i} = ${n} is negative`);
    axes.push(n);
  }
  return axes;
}

/** Size in bytes of the data unit the header announces, without padding (standard §4.4.1). */
export function dataUnitLength(header: Header, bitpix: Bitpix): number {
  const axes = readAxes(header, 'NAXIS');
  if (axes.length === 0) return 0;
  const groups = header.boolean('GROUPS') === true && axes[0] === 0;
  const counted = groups ? axes.slice(1) : axes;
  const pcount = header.integer('PCOUNT') ?? 0;
  const gcount = header.integer('GCOUNT') ?? 1;
  if (pcount < 0 || gcount < 0)
    throw new FitsError(`PCOUNT = ${pcount} and GCOUNT = ${gcount} must not be negative`);
  return (Math.abs(bitpix) / 8) * gcount * (pcount + pixelCount(counted));
}
