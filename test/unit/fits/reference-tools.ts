// The reference tools the FITS tests compare against: astropy (Debian's python3-astropy, run with
// /usr/bin/python3 because a `python3` earlier on PATH may lack it) and HEASARC's fitsverify.
// Missing tools fail the tests with the command that installs them; they are never skipped.

import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { CardValue, PhysicalPixels } from '../../../service/domain/fits';

export const PYTHON = '/usr/bin/python3';
const SCRIPT = path.join(__dirname, 'astropy_reference.py');
const INSTALL = 'run `bash scripts/install-test-tools.sh` (installs python3-astropy and fitsverify)';

export function requireReferenceTools(): void {
  if (!existsSync(PYTHON) || spawnSync(PYTHON, ['-c', 'import astropy.io.fits']).status !== 0) {
    throw new Error(`astropy is not importable by ${PYTHON}: ${INSTALL}`);
  }
  if (spawnSync('fitsverify', []).error) throw new Error(`fitsverify is not on PATH: ${INSTALL}`);
}

/** An astropy card value, typed in JSON so that 30 and 30.0 and big integers stay distinct. */
export type AstropyValue =
  | { bool: boolean }
  | { int: string }
  | { float: number }
  | { str: string }
  | { undefined: true }
  | { other: string };

export interface AstropyHdu {
  readonly name: string;
  readonly class: string;
  readonly header: readonly [string, AstropyValue][];
  readonly dtype?: string;
  readonly shape?: readonly number[];
  readonly sha256?: string;
  readonly nan?: number;
  readonly compression?: string;
}

function runReference(args: readonly string[]): Record<string, AstropyHdu[]> {
  const stdout = execFileSync(PYTHON, [SCRIPT, ...args], { maxBuffer: 64 * 1024 * 1024, encoding: 'utf8' });
  return JSON.parse(stdout) as Record<string, AstropyHdu[]>;
}

/** What astropy sees in each file (it fails on any header it has to repair). */
export function astropyDescribe(files: readonly string[]): Record<string, AstropyHdu[]> {
  return runReference(['describe', ...files]);
}

/** Has astropy write its set of files into `directory`; returns what astropy reads back from them. */
export function astropyWrite(directory: string): Record<string, AstropyHdu[]> {
  return runReference(['write', directory]);
}

export interface FitsverifyVerdict {
  readonly errors: number;
  /** The warning lines, so that a test can allow a named one and no other. */
  readonly warnings: readonly string[];
  readonly report: string;
}

export function fitsverify(file: string): FitsverifyVerdict {
  const result = spawnSync('fitsverify', [file], { encoding: 'utf8' });
  const report = `${result.stdout}${result.stderr}`;
  const summary = /Verification found (\d+) warning\(s\) and (\d+) error\(s\)/.exec(report);
  if (!summary) throw new Error(`fitsverify gave no summary for ${file}:\n${report}`);
  const warnings = report.split('\n').filter((line) => line.startsWith('*** Warning'));
  if (warnings.length !== Number(summary[1]))
    throw new Error(`could not read fitsverify's warnings:\n${report}`);
  return { errors: Number(summary[2]), warnings, report };
}

/** numpy's name for the element type of a pixel array. */
export function dtypeOf(pixels: PhysicalPixels): string {
  return pixels.constructor.name
    .replace('Array', '')
    .replace('BigInt', 'int')
    .replace('BigUint', 'uint')
    .toLowerCase();
}

/** SHA-256 of the pixels' little-endian bytes with NaNs canonical: the same digest the Python side takes. */
export function pixelDigest(pixels: PhysicalPixels): string {
  let bytes = new Uint8Array(pixels.buffer, pixels.byteOffset, pixels.byteLength);
  if (pixels instanceof Float32Array || pixels instanceof Float64Array) {
    const copy = pixels.slice();
    for (let i = 0; i < copy.length; i++) if (Number.isNaN(copy[i])) copy[i] = Number.NaN;
    bytes = new Uint8Array(copy.buffer);
  }
  return createHash('sha256').update(bytes).digest('hex');
}

/** Our card value in astropy's typed JSON form, for comparing headers value by value. */
export function asAstropyValue(
  value: CardValue | undefined,
  real: boolean | undefined,
): AstropyValue | undefined {
  if (value === undefined) return undefined;
  if (value === null) return { undefined: true };
  if (typeof value === 'boolean') return { bool: value };
  if (typeof value === 'string') return { str: value };
  if (typeof value === 'bigint') return { int: value.toString() };
  if (typeof value === 'number')
    return real || !Number.isInteger(value) ? { float: value } : { int: String(value) };
  return { other: `(${value.re}, ${value.im})` };
}
