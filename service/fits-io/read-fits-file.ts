// Reading and writing FITS files on disk: the adapter around the pure codec. It gunzips
// gzip-wrapped files (.fits.gz, or any file starting with the gzip magic) and names the file in errors.

import { readFileSync, writeFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { FitsError, type FitsFile, type Hdu, readFits, writeFits } from '../domain/fits';

const GZIP_MAGIC = [0x1f, 0x8b] as const;

export function isGzipped(bytes: Uint8Array): boolean {
  return bytes[0] === GZIP_MAGIC[0] && bytes[1] === GZIP_MAGIC[1];
}

/** The FITS bytes of a file, unwrapped from gzip when it is gzipped. */
export function readFitsBytes(path: string): Uint8Array {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch (thrown) {
    throw new FitsError(`cannot read the file: ${(thrown as Error).message}`, { file: path });
  }
  if (!isGzipped(bytes)) return bytes;
  try {
    return gunzipSync(bytes);
  } catch (thrown) {
    throw new FitsError(`gzip wrapper is corrupt or truncated: ${(thrown as Error).message}`, { file: path });
  }
}

export function readFitsFile(path: string): FitsFile {
  const bytes = readFitsBytes(path);
  try {
    // The bytes were read for this call alone, so the codec may decode plain images in place.
    return readFits(bytes, { consumeBytes: true });
  } catch (thrown) {
    if (thrown instanceof FitsError) throw thrown.inFile(path);
    throw thrown;
  }
}

export function writeFitsFile(path: string, hdus: readonly Hdu[]): void {
  writeFileSync(path, writeFits(hdus));
}
