// Reading tile-compressed images (the FITS tile-compression convention): a BINTABLE with ZIMAGE = T
// holds one compressed tile per row in a heap. RICE_1, GZIP_1 and GZIP_2 tiles are decoded, floats
// quantized with ZSCALE/ZZERO (optionally dithered) are restored, and the image header is rebuilt.

import { unzipSync } from 'node:zlib';
import {
  arrayCell,
  type Column,
  findColumn,
  readTableLayout,
  scalarCell,
  type TableLayout,
} from './binary-table';
import { allocateStored, type Bitpix, bytesPerPixel, type StoredPixels, swapBytes, toBitpix } from './bitpix';
import type { Card, CardValue } from './card';
import { FitsError } from './errors';
import { pixelCount, readAxes } from './hdu';
import { Header } from './header';
import { dequantizeTile } from './quantization';
import { riceDecode, toBytePix } from './rice';
import { readTileCompression, type TileCompression } from './tile-compression-params';
import { copyTile, type TileGrid, type TileRegion, tileGrid, tileRegion } from './tile-geometry';

export function isCompressedImage(header: Header): boolean {
  return header.get('XTENSION') === 'BINTABLE' && header.get('ZIMAGE') === true;
}

export interface DecompressedImage {
  readonly header: Header;
  readonly bitpix: Bitpix;
  readonly axes: readonly number[];
  readonly stored: StoredPixels;
  readonly compression: TileCompression;
}

interface TileColumns {
  readonly compressed: Column;
  readonly gzipped: Column | undefined;
  readonly uncompressed: Column | undefined;
  readonly scale: Column | undefined;
  readonly zero: Column | undefined;
  readonly blank: Column | undefined;
}

export function decompressImage(tableHeader: Header, data: Uint8Array): DecompressedImage {
  const bitpix = toBitpix(tableHeader.integer('ZBITPIX'), 'ZBITPIX');
  const axes = readAxes(tableHeader, 'ZNAXIS');
  const layout = readTableLayout(tableHeader);
  const columns = tileColumns(layout);
  const quantized = bitpix < 0 && (columns.scale !== undefined || tableHeader.has('ZSCALE'));
  const compression = readTileCompression(tableHeader, axes, quantized);
  const grid = tileGrid(axes, compression.tile ?? []);
  if (grid.tileCount !== layout.rows) {
    throw new FitsError(`the image needs ${grid.tileCount} tiles but the table has ${layout.rows} rows`);
  }
  const stored = allocateStored(bitpix, pixelCount(axes));
  const decoder = new TileDecoder(tableHeader, data, layout, columns, grid, compression, stored);
  for (let t = 0; t < grid.tileCount; t++) {
    try {
      decoder.decode(t);
    } catch (thrown) {
      const reason = thrown instanceof FitsError ? thrown.problem : (thrown as Error).message;
      throw new FitsError(`tile ${t + 1} of ${grid.tileCount}: ${reason}`);
    }
  }
  return { header: imageHeader(tableHeader), bitpix, axes, stored, compression };
}

function tileColumns(layout: TableLayout): TileColumns {
  const compressed = findColumn(layout, 'COMPRESSED_DATA');
  if (!compressed || (compressed.type !== 'P' && compressed.type !== 'Q')) {
    throw new FitsError('compressed image has no variable-length COMPRESSED_DATA column');
  }
  return {
    compressed,
    gzipped: findColumn(layout, 'GZIP_COMPRESSED_DATA'),
    uncompressed: findColumn(layout, 'UNCOMPRESSED_DATA'),
    scale: findColumn(layout, 'ZSCALE'),
    zero: findColumn(layout, 'ZZERO'),
    blank: findColumn(layout, 'ZBLANK'),
  };
}

/** Decodes tiles one by one into the image, reusing its scratch buffers. */
class TileDecoder {
  private readonly view: DataView;
  private readonly width: number;
  private readonly imageBytes: Uint8Array;
  /** Integers of a quantized tile before they become floats. */
  private readonly quantizedScratch: Int32Array;
  /** A tile of the image's type, for tiles that are not contiguous in the image. */
  private readonly tileScratch: StoredPixels;

  constructor(
    private readonly header: Header,
    data: Uint8Array,
    private readonly layout: TableLayout,
    private readonly columns: TileColumns,
    private readonly grid: TileGrid,
    private readonly compression: TileCompression,
    private readonly image: StoredPixels,
  ) {
    this.view = new DataView(data.buffer, data.byteOffset, data.byteLength);
    this.width = bytesPerPixel(toBitpix(header.integer('ZBITPIX'), 'ZBITPIX'));
    this.imageBytes = new Uint8Array(image.buffer, image.byteOffset, image.byteLength);
    this.quantizedScratch = new Int32Array(compression.quantize ? grid.maxTilePixels : 0);
    const scratchPixels = grid.tile.every((n, i) => n === grid.axes[i]) ? 0 : grid.maxTilePixels;
    this.tileScratch = allocateStored(toBitpix(header.integer('ZBITPIX')), scratchPixels);
  }

  decode(t: number): void {
    const region = tileRegion(this.grid, t);
    const inPlace = region.contiguousOffset >= 0;
    const target = inPlace
      ? this.image.subarray(region.contiguousOffset, region.contiguousOffset + region.pixels)
      : this.tileScratch.subarray(0, region.pixels);
    this.decodeInto(t, region, target);
    if (!inPlace) {
      const bytes = new Uint8Array(target.buffer, target.byteOffset, target.byteLength);
      copyTile(this.grid, region, bytes, this.imageBytes, this.width, true);
    }
  }

  private decodeInto(t: number, region: TileRegion, target: StoredPixels): void {
    const { layout, columns, view } = this;
    const bytes = arrayCell(view, layout, columns.compressed, t);
    if (bytes.length === 0) {
      // Tiles the writer could not quantize are kept losslessly in a fallback column.
      const fallback = columns.gzipped ?? columns.uncompressed;
      if (!fallback) throw new FitsError('has no compressed bytes');
      const raw = arrayCell(view, layout, fallback, t);
      decodeBytes(fallback === columns.gzipped ? inflate(raw) : raw, target, false);
      return;
    }
    const quantize = this.compression.quantize;
    if (!quantize) {
      this.decompress(bytes, target, region.pixels);
      return;
    }
    const ints = this.quantizedScratch.subarray(0, region.pixels);
    this.decompress(bytes, ints, region.pixels);
    dequantizeTile(ints, region.pixels, target as Float32Array | Float64Array, 0, {
      method: quantize.method,
      scale: this.tileNumber(columns.scale, 'ZSCALE', t) ?? 1,
      zero: this.tileNumber(columns.zero, 'ZZERO', t) ?? 0,
      blank: this.tileNumber(columns.blank, 'ZBLANK', t),
      tile: t,
      seed: quantize.seed,
    });
  }

  private decompress(bytes: Uint8Array, target: StoredPixels, pixels: number): void {
    const { type } = this.compression;
    if (type === 'RICE_1') {
      if (
        target instanceof Float32Array ||
        target instanceof Float64Array ||
        target instanceof BigInt64Array
      ) {
        throw new FitsError('RICE_1 tiles of unquantized floats or 64-bit integers are not defined');
      }
      riceDecode(
        bytes,
        target,
        0,
        pixels,
        this.compression.blockSize ?? 32,
        toBytePix(this.compression.bytePix ?? 4),
      );
      return;
    }
    decodeBytes(inflate(bytes), target, type === 'GZIP_2');
  }

  /** A per-tile value from its column, else from the keyword of the same name. */
  private tileNumber(column: Column | undefined, keyword: string, t: number): number | undefined {
    if (column) return scalarCell(this.view, this.layout, column, t);
    return this.header.number(keyword);
  }
}

function inflate(bytes: Uint8Array): Uint8Array {
  try {
    return unzipSync(bytes);
  } catch (thrown) {
    throw new FitsError(`gzip data is corrupt (${(thrown as Error).message})`);
  }
}

/** Big-endian pixels (GZIP_2: byte planes, most significant first) into `target`. */
function decodeBytes(bytes: Uint8Array, target: StoredPixels, shuffled: boolean): void {
  const width = target.BYTES_PER_ELEMENT as 1 | 2 | 4 | 8;
  if (bytes.length !== target.byteLength) {
    throw new FitsError(`inflates to ${bytes.length} bytes, expected ${target.byteLength}`);
  }
  const out = new Uint8Array(target.buffer, target.byteOffset, target.byteLength);
  if (shuffled && width > 1) {
    const n = target.length;
    for (let k = 0; k < width; k++) {
      const plane = k * n;
      for (let i = 0; i < n; i++) out[i * width + k] = bytes[plane + i] as number;
    }
  } else {
    out.set(bytes);
  }
  swapBytes(out, width);
}

const TABLE_ONLY =
  /^(Z(IMAGE|TENSION|SIMPLE|EXTEND|BITPIX|NAXIS\d*|PCOUNT|GCOUNT|TILE\d+|CMPTYPE|NAME\d+|VAL\d+|QUANTIZ|DITHER0|MASKCMP|BLOCKED|HECKSUM|DATASUM|SCALE|ZERO|BLANK)|T(TYPE|FORM|UNIT|NULL|SCAL|ZERO|DIM|DISP)\d+|TFIELDS|THEAP|XTENSION|BITPIX|NAXIS\d*|PCOUNT|GCOUNT)$/;

/** The header of the image the table holds: Z-keywords become the image's structural keywords. */
export function imageHeader(tableHeader: Header): Header {
  const get = (keyword: string): CardValue | undefined => tableHeader.get(keyword);
  const primary = get('ZSIMPLE') === true;
  const structural: Card[] = [
    primary ? { keyword: 'SIMPLE', value: true } : { keyword: 'XTENSION', value: get('ZTENSION') ?? 'IMAGE' },
    { keyword: 'BITPIX', value: get('ZBITPIX') ?? null },
  ];
  const naxis = tableHeader.integer('ZNAXIS') ?? 0;
  structural.push({ keyword: 'NAXIS', value: naxis });
  for (let i = 1; i <= naxis; i++)
    structural.push({ keyword: `NAXIS${i}`, value: get(`ZNAXIS${i}`) ?? null });
  if (primary) {
    if (get('ZEXTEND') !== undefined) structural.push({ keyword: 'EXTEND', value: get('ZEXTEND') ?? null });
  } else {
    structural.push(
      { keyword: 'PCOUNT', value: get('ZPCOUNT') ?? 0 },
      { keyword: 'GCOUNT', value: get('ZGCOUNT') ?? 1 },
    );
  }
  const rest = tableHeader.cards.filter((card) => card.value === undefined || !TABLE_ONLY.test(card.keyword));
  return new Header([...structural, ...rest]);
}
