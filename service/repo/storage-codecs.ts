// How a pipeline's in-memory datasets become files in a repo and back, by storage class: images as
// FITS (Exposure: image, mask and variance HDUs with the metadata in the primary header; Raw: the
// camera's FITS file, which ISR turns into its own shape), everything else as JSON whose typed
// arrays travel as base64. Pure: bytes in, values out.

import {
  type FitsFile,
  Header,
  type ImageHdu,
  imageHdu,
  physicalPixels,
  readFits,
  writeFits,
} from '../domain/fits';
import { type Column, findColumn, readTableLayout, scalarCell } from '../domain/fits/binary-table';
import type { ReferenceCatalog } from '../domain/wcs/refine-wcs';
import type { Exposure } from '../pipeline/engine/storage-classes';

export interface StorageCodec {
  /** File extension of the dataset's file in the datastore. */
  readonly extension: string;
  encode(value: unknown): Uint8Array;
  decode(bytes: Uint8Array): unknown;
}

export class StorageCodecError extends Error {
  override readonly name = 'StorageCodecError';
}

const TYPED_ARRAYS = {
  Float32Array,
  Float64Array,
  Int8Array,
  Int16Array,
  Int32Array,
  Uint8Array,
  Uint16Array,
  Uint32Array,
  BigInt64Array,
  BigUint64Array,
} as const;
type TypedArrayName = keyof typeof TYPED_ARRAYS;
const TAG = '$typedArray';

function typedArrayName(value: unknown): TypedArrayName | undefined {
  if (!ArrayBuffer.isView(value) || value instanceof DataView) return undefined;
  const name = value.constructor.name;
  return Object.hasOwn(TYPED_ARRAYS, name) ? (name as TypedArrayName) : undefined;
}

/** JSON for plain objects whose leaves may be typed arrays, bigints or Headers. */
export const typedJsonCodec: StorageCodec = {
  extension: 'json',
  encode(value) {
    const text = JSON.stringify(value, function replace(this: unknown, key: string, v: unknown) {
      const original = (this as Record<string, unknown>)[key];
      const name = typedArrayName(original);
      if (name) {
        const view = original as ArrayBufferView;
        const bytes = Buffer.from(view.buffer, view.byteOffset, view.byteLength);
        return { [TAG]: name, base64: bytes.toString('base64') };
      }
      if (original instanceof Header) return { $header: original.cards };
      if (typeof v === 'bigint') return { $bigint: v.toString() };
      return v;
    });
    return Buffer.from(text ?? 'null', 'utf8');
  },
  decode(bytes) {
    return JSON.parse(Buffer.from(bytes).toString('utf8'), (_key, v: unknown) => {
      if (v && typeof v === 'object') {
        const tagged = v as Record<string, unknown>;
        const name = tagged[TAG];
        if (typeof name === 'string' && Object.hasOwn(TYPED_ARRAYS, name)) {
          const raw = Buffer.from(String(tagged.base64), 'base64');
          const Type = TYPED_ARRAYS[name as TypedArrayName];
          const copy = new Uint8Array(raw.length);
          copy.set(raw);
          return new Type(copy.buffer, 0, raw.length / Type.BYTES_PER_ELEMENT);
        }
        if (Array.isArray(tagged.$header)) return new Header(tagged.$header);
        if (typeof tagged.$bigint === 'string') return BigInt(tagged.$bigint);
      }
      return v;
    });
  },
};

function imageOf(file: FitsFile, extname: string): ImageHdu | undefined {
  return file.hdus.find(
    (h): h is ImageHdu => h.kind === 'image' && (h.header.get('EXTNAME') ?? 'IMAGE') === extname,
  );
}

/** An Exposure as three HDUs: IMAGE (primary, with the metadata cards), MASK, VARIANCE. */
export const exposureCodec: StorageCodec = {
  extension: 'fits',
  encode(value) {
    const exposure = value as Exposure;
    const axes = [exposure.width, exposure.height];
    const cards = exposure.metadata.cards.filter((c) => c.keyword !== 'EXTNAME');
    return writeFits([
      imageHdu(exposure.image, axes, { cards }),
      imageHdu(exposure.mask, axes, { extname: 'MASK' }),
      imageHdu(exposure.variance, axes, { extname: 'VARIANCE' }),
    ]);
  },
  decode(bytes) {
    const file = readFits(bytes);
    const primary = file.hdus[0];
    if (primary?.kind !== 'image' || primary.axes.length !== 2)
      throw new StorageCodecError('the Exposure file has no 2-D primary image');
    const [width, height] = primary.axes as [number, number];
    const asFloat = (pixels: ReturnType<typeof physicalPixels>) =>
      pixels instanceof Float32Array ? pixels : Float32Array.from(pixels as ArrayLike<number>);
    const maskHdu = imageOf(file, 'MASK');
    const varianceHdu = imageOf(file, 'VARIANCE');
    // Both planes, or neither: a file of the image alone (a master calibration or a template written
    // by another tool, as the tester's seed writes them) reads as noise-free with nothing masked.
    if ((maskHdu === undefined) !== (varianceHdu === undefined))
      throw new StorageCodecError(`the Exposure file has no ${maskHdu ? 'VARIANCE' : 'MASK'} HDU`);
    const n = width * height;
    const mask = maskHdu ? physicalPixels(maskHdu) : new Uint16Array(n);
    const exposure: Exposure = {
      width,
      height,
      image: asFloat(physicalPixels(primary)),
      variance: varianceHdu ? asFloat(physicalPixels(varianceHdu)) : new Float32Array(n),
      mask: mask instanceof Uint16Array ? mask : Uint16Array.from(mask as ArrayLike<number>),
      metadata: primary.header,
    };
    return exposure;
  },
};

/** A raw stays the camera's FITS file; ISR reads its amplifiers from the HDUs. */
export const rawCodec: StorageCodec = {
  extension: 'fits',
  encode(value) {
    const file = value as FitsFile;
    if (!Array.isArray(file.hdus)) throw new StorageCodecError('a Raw is a read FITS file (hdus)');
    return writeFits(file.hdus);
  },
  decode: (bytes) => readFits(bytes),
};

/** Bytes that start a FITS file. */
const isFits = (bytes: Uint8Array) => Buffer.from(bytes.subarray(0, 6)).toString('latin1') === 'SIMPLE';

/** coord_ra / coord_dec of a FITS binary-table shard (upstream's layout), in degrees. */
function referenceCatalogFromFits(bytes: Uint8Array): ReferenceCatalog {
  for (const hdu of readFits(bytes).hdus) {
    if (hdu.kind !== 'other' || hdu.type !== 'BINTABLE') continue;
    const layout = readTableLayout(hdu.header);
    const columns = ['coord_ra', 'coord_dec'].map((name) => {
      const column = findColumn(layout, name);
      if (!column) return undefined;
      const index = layout.columns.indexOf(column) + 1;
      const unit = (hdu.header.string(`TUNIT${index}`) ?? 'deg').trim().toLowerCase();
      return { column, scale: unit.startsWith('rad') ? 180 / Math.PI : 1 };
    });
    const [ra, dec] = columns;
    if (!ra || !dec) continue;
    const view = new DataView(hdu.data.buffer, hdu.data.byteOffset, hdu.data.byteLength);
    const read = ({ column, scale }: { column: Column; scale: number }) =>
      Float64Array.from({ length: layout.rows }, (_, row) => scalarCell(view, layout, column, row) * scale);
    return { ra: read(ra), dec: read(dec) };
  }
  throw new StorageCodecError('the reference catalog file has no binary table with coord_ra and coord_dec');
}

/**
 * Written as JSON like other tables; read from JSON or from a FITS binary table with coord_ra and
 * coord_dec (the layout of upstream's refcat shards, and of the tester's seed).
 */
export const referenceCatalogCodec: StorageCodec = {
  extension: 'json',
  encode: (value) => typedJsonCodec.encode(value),
  decode: (bytes) => (isFits(bytes) ? referenceCatalogFromFits(bytes) : typedJsonCodec.decode(bytes)),
};

/** Central repos name the float image class ExposureF, as the Butler does. */
const CODECS: Readonly<Record<string, StorageCodec>> = {
  Exposure: exposureCodec,
  ExposureF: exposureCodec,
  Raw: rawCodec,
  ReferenceCatalog: referenceCatalogCodec,
};

export function codecFor(storageClass: string): StorageCodec {
  return CODECS[storageClass] ?? typedJsonCodec;
}
