// A whole FITS file in memory: walking its HDUs (primary, IMAGE, tile-compressed images, and any
// other extension kept as bytes) and writing a list of HDUs back to one buffer.

import { encodeBigEndianInto, toBitpix } from './bitpix';
import { asFitsError, FitsError } from './errors';
import { dataUnitLength, type Hdu, type OtherHdu } from './hdu';
import { BLOCK_LENGTH, formatHeader, type Header, parseHeader } from './header';
import { carriedCards, imageStructureCards, readPlainImage, scalingCards } from './image-hdu';
import { readScaling } from './scaling';
import { decompressImage, isCompressedImage } from './tile-compression';
import { compressImage } from './tile-compression-write';

export interface FitsFile {
  readonly hdus: readonly Hdu[];
}

export interface ReadOptions {
  /**
   * The caller gives `bytes` away: plain images are byte-swapped in place and returned as views of
   * them (no copy). The bytes are no longer FITS afterwards. Default false: `bytes` is left untouched.
   */
  readonly consumeBytes?: boolean;
}

/** Reads every HDU; throws a FitsError naming the HDU and the problem when the bytes are not valid FITS. */
export function readFits(bytes: Uint8Array, options: ReadOptions = {}): FitsFile {
  const consume = options.consumeBytes === true;
  if (bytes.length === 0) throw new FitsError('file is empty');
  const hdus: Hdu[] = [];
  let offset = 0;
  while (offset < bytes.length && !isTrailingPadding(bytes, offset)) {
    const index = hdus.length;
    try {
      const { hdu, end } = readHdu(bytes, offset, index, consume);
      hdus.push(hdu);
      offset = end;
    } catch (thrown) {
      throw asFitsError(thrown, index);
    }
  }
  return { hdus };
}

/** Zeros or spaces after the last HDU: some writers leave them; they are not another HDU. */
function isTrailingPadding(bytes: Uint8Array, offset: number): boolean {
  for (let i = offset; i < bytes.length; i++) if (bytes[i] !== 0 && bytes[i] !== 0x20) return false;
  return true;
}

function readHdu(
  bytes: Uint8Array,
  offset: number,
  index: number,
  consume: boolean,
): { hdu: Hdu; end: number } {
  if (index === 0 && !startsWith(bytes, 'SIMPLE  =')) {
    throw new FitsError('not a FITS file: it does not start with SIMPLE =');
  }
  if (index > 0 && !startsWith(bytes.subarray(offset), 'XTENSION=')) {
    throw new FitsError(`expected an extension header (XTENSION =) at byte ${offset}`);
  }
  const { header, end: dataStart } = parseHeader(bytes, offset);
  if (index === 0 && header.get('SIMPLE') !== true)
    throw new FitsError('SIMPLE is not T: the file does not conform to FITS');
  const bitpix = toBitpix(header.integer('BITPIX'));
  const length = dataUnitLength(header, bitpix);
  const available = bytes.length - dataStart;
  if (length > available) {
    throw new FitsError(
      `truncated: the header announces a ${length}-byte data unit but only ${available} bytes follow`,
    );
  }
  const end = Math.min(bytes.length, dataStart + Math.ceil(length / BLOCK_LENGTH) * BLOCK_LENGTH);
  return { hdu: classify(header, bytes, dataStart, length, index, consume), end };
}

function startsWith(bytes: Uint8Array, text: string): boolean {
  for (let i = 0; i < text.length; i++) if (bytes[i] !== text.charCodeAt(i)) return false;
  return true;
}

function classify(
  header: Header,
  bytes: Uint8Array,
  dataStart: number,
  length: number,
  index: number,
  consume: boolean,
): Hdu {
  const xtension = index === 0 ? undefined : header.string('XTENSION')?.trim();
  const groups = index === 0 && header.boolean('GROUPS') === true && header.integer('NAXIS1') === 0;
  if (index === 0 ? !groups : xtension === 'IMAGE') return readPlainImage(header, bytes, dataStart, consume);
  const data = bytes.subarray(dataStart, dataStart + length);
  if (isCompressedImage(header)) {
    const image = decompressImage(header, data);
    return {
      kind: 'image',
      ...image,
      // The compressed image's BZERO/BSCALE/BLANK describe the image, as for a plain one.
      scaling: readScaling(image.header),
      storedHeader: header,
    };
  }
  return { kind: 'other', type: groups ? 'RANDOM_GROUPS' : (xtension ?? 'UNKNOWN'), header, data };
}

/** Writes HDUs into one FITS buffer; the first must be an uncompressed image (possibly with no data). */
export function writeFits(hdus: readonly Hdu[]): Uint8Array {
  if (hdus.length === 0) throw new FitsError('a FITS file needs at least a primary HDU');
  const parts: Uint8Array[] = [];
  hdus.forEach((hdu, index) => {
    try {
      parts.push(...encodeHdu(hdu, index));
    } catch (thrown) {
      throw asFitsError(thrown, index);
    }
  });
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

function encodeHdu(hdu: Hdu, index: number): Uint8Array[] {
  if (hdu.kind === 'other') return encodeOther(hdu, index);
  if (hdu.compression) {
    if (index === 0)
      throw new FitsError('the primary HDU cannot be tile-compressed: put the image in an extension');
    const table = compressImage(hdu, hdu.compression);
    return [formatHeader(table.cards), padded(table.data, 0)];
  }
  const cards = [
    ...imageStructureCards(hdu, index),
    ...scalingCards(hdu.scaling),
    ...carriedCards(hdu.header),
  ];
  // Encoded straight into the padded buffer: one copy of the pixels, not two.
  const data = new Uint8Array(Math.ceil(hdu.stored.byteLength / BLOCK_LENGTH) * BLOCK_LENGTH);
  encodeBigEndianInto(hdu.stored, data, 0);
  return [formatHeader(cards), data];
}

function encodeOther(hdu: OtherHdu, index: number): Uint8Array[] {
  if (index === 0 && hdu.type !== 'RANDOM_GROUPS')
    throw new FitsError(`a ${hdu.type} cannot be the primary HDU`);
  if (index > 0 && hdu.type === 'RANDOM_GROUPS')
    throw new FitsError('random groups can only be the primary HDU');
  // ASCII tables are padded with spaces, everything else with zeros (standard §3.3.2).
  return [formatHeader(hdu.header.cards), padded(hdu.data, hdu.type === 'TABLE' ? 0x20 : 0)];
}

function padded(data: Uint8Array, fill: number): Uint8Array {
  const length = Math.ceil(data.length / BLOCK_LENGTH) * BLOCK_LENGTH;
  if (length === data.length) return data;
  const out = new Uint8Array(length).fill(fill, data.length);
  out.set(data);
  return out;
}
