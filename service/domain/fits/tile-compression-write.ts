// Writing tile-compressed images, losslessly: RICE_1 for 8/16/32-bit integers, GZIP_1 and GZIP_2
// for any BITPIX (floats are kept exact, ZQUANTIZ = 'NONE'). One heap, one descriptor per tile.

import { gzipSync } from 'node:zlib';
import { allocateStored, bytesPerPixel, encodeBigEndian, type StoredPixels } from './bitpix';
import type { Card } from './card';
import { FitsError } from './errors';
import type { ImageHdu } from './hdu';
import { carriedCards, scalingCards } from './image-hdu';
import { riceEncode, toBytePix } from './rice';
import { defaultTile, type TileCompression } from './tile-compression-params';
import { copyTile, tileGrid, tileRegion } from './tile-geometry';

export interface CompressedTable {
  readonly cards: Card[];
  /** Main table (descriptors) followed by the heap, unpadded. */
  readonly data: Uint8Array;
}

const RICE_BLOCK_SIZE = 32;

export function compressImage(hdu: ImageHdu, compression: TileCompression): CompressedTable {
  const { type } = compression;
  const { bitpix, axes, stored } = hdu;
  if (compression.quantize)
    throw new FitsError('writing quantized floats is not supported: the writer is lossless');
  if (type === 'RICE_1' && (bitpix === 64 || bitpix < 0)) {
    throw new FitsError(
      `RICE_1 compresses 8-, 16- and 32-bit integers, not BITPIX ${bitpix}: use GZIP_1 or GZIP_2`,
    );
  }
  if (axes.length === 0) throw new FitsError('an image with no axes cannot be tile-compressed');
  const tile = compression.tile ?? defaultTile(axes);
  const grid = tileGrid(axes, tile);
  const width = bytesPerPixel(bitpix);
  const imageBytes = new Uint8Array(stored.buffer, stored.byteOffset, stored.byteLength);
  const scratch = allocateStored(bitpix, grid.maxTilePixels);
  const tiles: Uint8Array[] = [];
  for (let t = 0; t < grid.tileCount; t++) {
    const region = tileRegion(grid, t);
    let pixels: StoredPixels;
    if (region.contiguousOffset >= 0) {
      pixels = stored.subarray(region.contiguousOffset, region.contiguousOffset + region.pixels);
    } else {
      pixels = scratch.subarray(0, region.pixels);
      copyTile(grid, region, new Uint8Array(pixels.buffer, 0, pixels.byteLength), imageBytes, width, false);
    }
    tiles.push(compressTile(pixels, type));
  }
  const data = layoutTable(tiles);
  const maxLength = tiles.reduce((max, bytes) => Math.max(max, bytes.length), 0);
  const cards: Card[] = [
    { keyword: 'XTENSION', value: 'BINTABLE', comment: 'binary table extension' },
    { keyword: 'BITPIX', value: 8 },
    { keyword: 'NAXIS', value: 2 },
    { keyword: 'NAXIS1', value: 8, comment: 'width of table in bytes' },
    { keyword: 'NAXIS2', value: tiles.length, comment: 'number of rows in table' },
    { keyword: 'PCOUNT', value: data.length - tiles.length * 8, comment: 'heap size in bytes' },
    { keyword: 'GCOUNT', value: 1 },
    { keyword: 'TFIELDS', value: 1 },
    { keyword: 'TTYPE1', value: 'COMPRESSED_DATA' },
    { keyword: 'TFORM1', value: `1PB(${maxLength})` },
    { keyword: 'ZIMAGE', value: true, comment: 'extension contains compressed image' },
    { keyword: 'ZTENSION', value: 'IMAGE' },
    { keyword: 'ZBITPIX', value: bitpix },
    { keyword: 'ZNAXIS', value: axes.length },
    ...axes.map((n, i): Card => ({ keyword: `ZNAXIS${i + 1}`, value: n })),
    { keyword: 'ZPCOUNT', value: 0 },
    { keyword: 'ZGCOUNT', value: 1 },
    ...tile.map((n, i): Card => ({ keyword: `ZTILE${i + 1}`, value: n })),
    { keyword: 'ZCMPTYPE', value: type },
    ...algorithmCards(compression, bitpix),
    ...scalingCards(hdu.scaling),
    ...carriedCards(hdu.header),
  ];
  return { cards, data };
}

function algorithmCards(compression: TileCompression, bitpix: number): Card[] {
  if (compression.type === 'RICE_1') {
    return [
      { keyword: 'ZNAME1', value: 'BLOCKSIZE' },
      { keyword: 'ZVAL1', value: RICE_BLOCK_SIZE },
      { keyword: 'ZNAME2', value: 'BYTEPIX' },
      { keyword: 'ZVAL2', value: Math.abs(bitpix) / 8 },
    ];
  }
  // Without this a reader would expect ZSCALE/ZZERO for floating-point tiles.
  return bitpix < 0 ? [{ keyword: 'ZQUANTIZ', value: 'NONE', comment: 'floats stored losslessly' }] : [];
}

function compressTile(pixels: StoredPixels, type: TileCompression['type']): Uint8Array {
  if (type === 'RICE_1') {
    if (pixels instanceof Uint8Array || pixels instanceof Int16Array || pixels instanceof Int32Array) {
      return riceEncode(pixels, 0, pixels.length, RICE_BLOCK_SIZE, toBytePix(pixels.BYTES_PER_ELEMENT));
    }
    throw new FitsError('RICE_1 needs 8-, 16- or 32-bit integer pixels');
  }
  const bigEndian = encodeBigEndian(pixels);
  return gzipSync(type === 'GZIP_2' ? shuffleBytes(bigEndian, pixels.BYTES_PER_ELEMENT) : bigEndian);
}

/** GZIP_2: all most-significant bytes first, then the next, ... (compresses smooth data better). */
function shuffleBytes(bytes: Uint8Array, width: number): Uint8Array {
  if (width === 1) return bytes;
  const n = bytes.length / width;
  const out = new Uint8Array(bytes.length);
  for (let k = 0; k < width; k++) {
    const plane = k * n;
    for (let i = 0; i < n; i++) out[plane + i] = bytes[i * width + k] as number;
  }
  return out;
}

/** Descriptors (count, heap offset) as big-endian int32 pairs, then the tiles back to back. */
function layoutTable(tiles: readonly Uint8Array[]): Uint8Array {
  const mainLength = tiles.length * 8;
  const heapLength = tiles.reduce((sum, bytes) => sum + bytes.length, 0);
  if (heapLength > 2 ** 31 - 1)
    throw new FitsError('compressed heap exceeds 2 GiB; 1P descriptors cannot address it');
  const data = new Uint8Array(mainLength + heapLength);
  const view = new DataView(data.buffer);
  let heapOffset = 0;
  tiles.forEach((bytes, row) => {
    view.setInt32(row * 8, bytes.length);
    view.setInt32(row * 8 + 4, heapOffset);
    data.set(bytes, mainLength + heapOffset);
    heapOffset += bytes.length;
  });
  return data;
}
