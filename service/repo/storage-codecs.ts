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
import { findColumn, readTableLayout, scalarCell } from '../domain/fits/binary-table';
import type { ReferenceCatalog } from '../domain/wcs/refine-wcs';
import type { Exposure } from '../pipeline/engine/storage-classes';
import { referenceTableHdu } from './reference-table';

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

function imageOf(file: FitsFile, extname: string): ImageHdu {
  const hdu = file.hdus.find(
    (h): h is ImageHdu => h.kind === 'image' && (h.header.get('EXTNAME') ?? 'IMAGE') === extname,
  );
  if (!hdu) throw new StorageCodecError(`the Exposure file has no ${extname} HDU`);
  return hdu;
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
    const mask = physicalPixels(imageOf(file, 'MASK'));
    const exposure: Exposure = {
      width,
      height,
      image: asFloat(physicalPixels(primary)),
      variance: asFloat(physicalPixels(imageOf(file, 'VARIANCE'))),
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

/**
 * A reference catalog shard: a FITS binary table with `coord_ra` and `coord_dec` in degrees (as
 * upstream shards refcats), read into the columns astrometry matches against.
 */
export const referenceCatalogCodec: StorageCodec = {
  extension: 'fits',
  encode(value) {
    const catalog = value as ReferenceCatalog;
    return writeFits([imageHdu(new Uint8Array(0), []), referenceTableHdu(catalog)]);
  },
  decode(bytes) {
    const table = readFits(bytes).hdus.find((h) => h.kind === 'other' && h.type === 'BINTABLE');
    if (table?.kind !== 'other') throw new StorageCodecError('the refcat file has no binary table');
    const layout = readTableLayout(table.header);
    const column = (name: string) => {
      const found = findColumn(layout, name);
      if (!found) throw new StorageCodecError(`the refcat table has no ${name} column`);
      return found;
    };
    const [ra, dec] = [column('coord_ra'), column('coord_dec')];
    const view = new DataView(table.data.buffer, table.data.byteOffset, table.data.byteLength);
    const catalog: ReferenceCatalog = {
      ra: Float64Array.from({ length: layout.rows }, (_, row) => scalarCell(view, layout, ra, row)),
      dec: Float64Array.from({ length: layout.rows }, (_, row) => scalarCell(view, layout, dec, row)),
    };
    return catalog;
  },
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
