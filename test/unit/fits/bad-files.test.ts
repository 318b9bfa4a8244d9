import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { FitsError, imageHdu, readFits, writeFits } from '../../../service/domain/fits';
import { readFitsFile } from '../../../service/fits-io/read-fits-file';
import { sampleImage } from './sample-images';

const AXES = [53, 37];

/** A primary, a plain int16 image (HDU 1) and a RICE-compressed int32 image (HDU 2). */
function goodFile(compression: 'RICE_1' | 'GZIP_1' = 'RICE_1'): Uint8Array {
  return writeFits([
    imageHdu(new Uint8Array(0), []),
    imageHdu(sampleImage('int16'), AXES, { extname: 'SCI' }),
    imageHdu(sampleImage('int32'), AXES, { extname: 'COMP', compression: { type: compression } }),
  ]);
}

/** Replaces the first occurrence of `from` after `start` with `to` (same length) in a copy. */
function patch(bytes: Uint8Array, from: string, to: string, start = 0): Uint8Array {
  if (from.length !== to.length) throw new Error('patch must keep the length');
  const text = Buffer.from(bytes).toString('latin1');
  const at = text.indexOf(from, start);
  if (at < 0) throw new Error(`"${from}" not found`);
  const out = bytes.slice();
  out.set(Buffer.from(to, 'latin1'), at);
  return out;
}

function offsetOf(bytes: Uint8Array, text: string, start = 0): number {
  return Buffer.from(bytes).toString('latin1').indexOf(text, start);
}

/** Where the compressed HDU's data unit (its tile descriptors) starts. */
function compressedDataStart(bytes: Uint8Array): number {
  const header = offsetOf(bytes, "XTENSION= 'BINTABLE'");
  const end = offsetOf(bytes, `END${' '.repeat(77)}`, header);
  return Math.ceil((end + 80) / 2880) * 2880;
}

/** Reading fails with a FitsError for this HDU whose message names the problem. */
function expectFailure(bytes: Uint8Array, hdu: number | undefined, problem: RegExp): void {
  let caught: unknown;
  try {
    readFits(bytes);
  } catch (thrown) {
    caught = thrown;
  }
  expect(caught).toBeInstanceOf(FitsError);
  const error = caught as FitsError;
  expect(error.hdu).toBe(hdu);
  expect(error.problem).toMatch(problem);
  expect(error.message).toMatch(hdu === undefined ? problem : new RegExp(`^HDU ${hdu}: `));
}

describe('bad files give a FitsError naming the HDU and the problem', () => {
  it('the good file reads (the cases below break only what they name)', () => {
    expect(readFits(goodFile()).hdus).toHaveLength(3);
    expect(readFits(goodFile('GZIP_1')).hdus).toHaveLength(3);
  });

  it('fails on an empty file', () => {
    expectFailure(new Uint8Array(0), undefined, /file is empty/);
  });

  it('fails on a file that is not FITS', () => {
    expectFailure(new TextEncoder().encode('<html>not fits</html>'.repeat(200)), 0, /not a FITS file/);
  });

  it('fails on a file truncated inside a header', () => {
    const bytes = goodFile();
    expectFailure(bytes.subarray(0, 2880 + 1000), 1, /no END card|truncated/);
  });

  it('fails on a file truncated inside a data unit', () => {
    const bytes = goodFile();
    const compStart = offsetOf(bytes, "XTENSION= 'BINTABLE'");
    expectFailure(
      bytes.subarray(0, compStart - 3000),
      1,
      /truncated: the header announces a 3922-byte data unit/,
    );
  });

  it('fails when NAXISn announce more data than the file holds', () => {
    const bytes = patch(goodFile(), 'NAXIS2  =                   37', 'NAXIS2  =                 3700');
    expectFailure(bytes, 1, /truncated/);
  });

  it('fails on an unknown BITPIX', () => {
    const bytes = patch(goodFile(), 'BITPIX  =                   16', 'BITPIX  =                   24');
    expectFailure(bytes, 1, /BITPIX = 24 is not one of/);
  });

  it('fails on a missing END card', () => {
    const headerOnly = writeFits([imageHdu(new Uint8Array(0), [])]);
    expectFailure(
      patch(headerOnly, 'END     ', 'ENX     '),
      0,
      /header has no END card before the end of the file/,
    );
  });

  it('fails on a non-ASCII byte in a header, naming the card', () => {
    const bytes = patch(goodFile(), "EXTNAME = 'SCI", "EXTNAME = 'S\u00e9I");
    expectFailure(bytes, 1, /card \d+: byte 233 at column 13 is not printable ASCII/);
  });

  it('fails on a malformed value, naming the card and keyword', () => {
    const bytes = patch(goodFile(), "EXTNAME = 'SCI     '", 'EXTNAME = SCI       ');
    expectFailure(bytes, 1, /\(EXTNAME\): value "SCI" is not/);
  });

  it('fails when the compressed image needs more tiles than the table has rows', () => {
    const bytes = patch(goodFile(), 'ZNAXIS2 =                   37', 'ZNAXIS2 =                   38');
    expectFailure(bytes, 2, /needs 38 tiles but the table has 37 rows/);
  });

  it('fails on a Rice tile cut short, naming the tile', () => {
    const bytes = goodFile();
    const dataStart = compressedDataStart(bytes);
    const view = new DataView(bytes.buffer, bytes.byteOffset);
    // First descriptor: byte count of tile 1. Claim 3 bytes: the tile cannot hold its 53 pixels.
    expect(view.getInt32(dataStart)).toBeGreaterThan(3);
    view.setInt32(dataStart, 3);
    expectFailure(bytes, 2, /tile 1 of 37: Rice-compressed tile/);
  });

  it('fails on a tile descriptor pointing outside the heap', () => {
    const bytes = goodFile();
    const dataStart = compressedDataStart(bytes);
    new DataView(bytes.buffer, bytes.byteOffset).setInt32(dataStart + 4 * 8 + 4, 10_000_000);
    expectFailure(bytes, 2, /tile 5 of 37: row 5 of column COMPRESSED_DATA points outside the heap/);
  });

  it('fails on a corrupt gzip tile', () => {
    const bytes = goodFile('GZIP_1');
    const dataStart = compressedDataStart(bytes);
    const view = new DataView(bytes.buffer, bytes.byteOffset);
    const heapStart = dataStart + 37 * 8;
    for (let i = 20; i < 40; i++) bytes[heapStart + i] = 0xff;
    expect(view.getInt32(dataStart)).toBeGreaterThan(40);
    expectFailure(bytes, 2, /tile 1 of 37: gzip data is corrupt/);
  });

  it('fails on an unsupported compression algorithm', () => {
    const bytes = patch(goodFile(), "ZCMPTYPE= 'RICE_1  '", "ZCMPTYPE= 'PLIO_1  '");
    expectFailure(bytes, 2, /ZCMPTYPE = 'PLIO_1' is not supported/);
  });
});

describe('the file adapter names the file', () => {
  const directory = mkdtempSync(path.join(tmpdir(), 'fits-bad-'));
  afterAll(() => rmSync(directory, { recursive: true, force: true }));

  it('fails with file, HDU and problem in one line', () => {
    const file = path.join(directory, 'bitpix.fits');
    writeFileSync(
      file,
      patch(goodFile(), 'BITPIX  =                   16', 'BITPIX  =                   24'),
    );
    expect(() => readFitsFile(file)).toThrow(
      `${file}: HDU 1: BITPIX = 24 is not one of 8, 16, 32, 64, -32, -64`,
    );
  });

  it('fails on a truncated gzip wrapper', () => {
    const file = path.join(directory, 'cut.fits.gz');
    const gz = gzipSync(goodFile());
    writeFileSync(file, gz.subarray(0, gz.length / 2));
    expect(() => readFitsFile(file)).toThrow(new RegExp(`^${file}: gzip wrapper is corrupt or truncated`));
  });

  it('fails on a missing file', () => {
    const file = path.join(directory, 'missing.fits');
    expect(() => readFitsFile(file)).toThrow(new RegExp(`^${file}: cannot read the file`));
  });

  it('reads a gzip-wrapped file whatever its name', () => {
    const file = path.join(directory, 'wrapped.fits');
    writeFileSync(file, gzipSync(goodFile()));
    expect(readFitsFile(file).hdus).toHaveLength(3);
  });
});
