// What `prompt-fits info` and `prompt-fits header` report about a FITS file: one summary row per HDU
// (like astropy's fitsinfo, plus pixel statistics) and the header cards as 80-character lines.

import { FitsError, type FitsFile, type Hdu, physicalPixels, pixelStatistics } from '../domain/fits';
import { headerLines } from '../domain/fits/header';

export interface HduSummary {
  readonly index: number;
  /** PRIMARY, IMAGE, BINTABLE, TABLE, ... (a tile-compressed image is an IMAGE with `compression`). */
  readonly type: string;
  readonly extname: string | null;
  readonly bitpix: number | null;
  /** NAXIS1, NAXIS2, ... (image axes; table width in bytes and rows for tables). */
  readonly shape: readonly number[];
  readonly compression: string | null;
  readonly min: number | null;
  readonly max: number | null;
  readonly mean: number | null;
  readonly nanCount: number | null;
}

export function summarizeHdus(file: FitsFile): HduSummary[] {
  return file.hdus.map(summarizeHdu);
}

function summarizeHdu(hdu: Hdu, index: number): HduSummary {
  const extname = hdu.header.get('EXTNAME');
  const common = { index, extname: typeof extname === 'string' ? extname : null };
  if (hdu.kind === 'other') {
    const shape = [hdu.header.integer('NAXIS1') ?? 0, hdu.header.integer('NAXIS2') ?? 0];
    const nulls = { compression: null, min: null, max: null, mean: null, nanCount: null };
    return { ...common, type: hdu.type, bitpix: hdu.header.integer('BITPIX') ?? null, shape, ...nulls };
  }
  const stats = pixelStatistics(physicalPixels(hdu));
  return {
    ...common,
    type: index === 0 ? 'PRIMARY' : 'IMAGE',
    bitpix: hdu.bitpix,
    shape: hdu.axes,
    compression: hdu.compression?.type ?? null,
    min: stats.min,
    max: stats.max,
    mean: stats.mean,
    nanCount: hdu.axes.length === 0 ? null : stats.nanCount,
  };
}

const COLUMNS = [
  'No.',
  'Type',
  'EXTNAME',
  'BITPIX',
  'Dimensions',
  'Compression',
  'Min',
  'Max',
  'Mean',
  'NaN',
];

/** A fixed-width table, one line per HDU. */
export function formatSummaryTable(file: string, rows: readonly HduSummary[]): string {
  const cells = rows.map((row) => [
    String(row.index),
    row.type,
    row.extname ?? '',
    row.bitpix === null ? '' : String(row.bitpix),
    `(${row.shape.join(', ')})`,
    row.compression ?? '',
    formatNumber(row.min),
    formatNumber(row.max),
    formatNumber(row.mean),
    row.nanCount === null ? '' : String(row.nanCount),
  ]);
  const widths = COLUMNS.map((title, c) =>
    Math.max(title.length, ...cells.map((line) => (line[c] ?? '').length)),
  );
  const line = (values: readonly string[]) =>
    values
      .map((value, c) => value.padEnd(widths[c] ?? 0))
      .join('  ')
      .trimEnd();
  return [`Filename: ${file}`, line(COLUMNS), ...cells.map(line)].join('\n');
}

function formatNumber(value: number | null): string {
  if (value === null) return '';
  return Number.isInteger(value) ? String(value) : value.toPrecision(7);
}

/** Picks an HDU by 0-based index or by EXTNAME. */
export function selectHdu(file: FitsFile, which: string): number {
  const count = file.hdus.length;
  if (/^\d+$/.test(which)) {
    const index = Number(which);
    if (index >= count)
      throw new FitsError(`there is no HDU ${index}: the file has ${count} (0..${count - 1})`);
    return index;
  }
  const index = file.hdus.findIndex((hdu) => hdu.header.get('EXTNAME') === which);
  if (index < 0) throw new FitsError(`no HDU has EXTNAME '${which}'`);
  return index;
}

/** The header of one HDU as printed by `prompt-fits header` (for a compressed image, the image's header). */
export function headerText(file: FitsFile, index: number): string {
  const hdu = file.hdus[index];
  if (!hdu) throw new FitsError(`there is no HDU ${index}`);
  return [...headerLines(hdu.header.cards).map((line) => line.trimEnd()), 'END'].join('\n');
}
