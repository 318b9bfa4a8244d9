// One 80-character header card: parsing, formatting and the rules of FITS standard 4.0 §4.1–4.2
// (keywords, value indicator, fixed-format values, quotes doubled inside strings, HIERARCH names).

import { FitsError } from './errors';

export const CARD_LENGTH = 80;

/** A complex value: FITS writes it as `(re, im)`. */
export interface ComplexValue {
  readonly re: number;
  readonly im: number;
}

/** `null` is an undefined value (`KEY     =` with nothing after it). Integers too big for a double are bigint. */
export type CardValue = string | number | bigint | boolean | null | ComplexValue;

export interface Card {
  /** Up to 8 characters, or a longer HIERARCH name without the `HIERARCH ` prefix (`ESO DET CHIP`). */
  readonly keyword: string;
  /** Absent for commentary cards (COMMENT, HISTORY, blank keyword, any card without `= `). */
  readonly value?: CardValue;
  /** The comment after `/`, or the text of a commentary card. */
  readonly comment?: string;
  /**
   * A number that FITS must write as a real even when it is integral (`EXPTIME = 30.0`): JavaScript
   * cannot tell 30.0 from 30, and readers such as astropy give the two different types.
   */
  readonly real?: boolean;
}

const KEYWORD = /^[A-Z0-9_-]{0,8}$/;
const INTEGER = /^[+-]?\d+$/;
const REAL = /^[+-]?(\d+\.?\d*|\.\d+)([EeDd][+-]?\d+)?$/;
const COMMENTARY = new Set(['COMMENT', 'HISTORY', '']);

/** True when a keyword cannot be written in columns 1–8 and needs the HIERARCH convention. */
export function needsHierarch(keyword: string): boolean {
  return !KEYWORD.test(keyword);
}

export function isCommentary(card: Card): boolean {
  return card.value === undefined;
}

/** Parses one card; `where` names it in errors ("card 12"). */
export function parseCard(text: string, where: string): Card {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 32 || code > 126) {
      throw new FitsError(`${where}: byte ${code} at column ${i + 1} is not printable ASCII`);
    }
  }
  const keyword = text.slice(0, 8).trimEnd();
  if (keyword === 'HIERARCH' && text.includes('=')) return parseHierarch(text, where);
  if (!KEYWORD.test(keyword)) {
    throw new FitsError(
      `${where}: keyword "${keyword}" has characters other than A-Z 0-9 _ - or is not left-justified`,
    );
  }
  if (keyword === 'CONTINUE') {
    return { keyword, ...parseValueField(text.slice(8), `${where} (CONTINUE)`) };
  }
  if (COMMENTARY.has(keyword) || text.slice(8, 10) !== '= ') {
    const comment = text.slice(8).trimEnd();
    return comment === '' ? { keyword } : { keyword, comment };
  }
  return { keyword, ...parseValueField(text.slice(10), `${where} (${keyword})`) };
}

function parseHierarch(text: string, where: string): Card {
  const equals = text.indexOf('=');
  const keyword = text.slice(9, equals).trim();
  if (keyword === '') throw new FitsError(`${where}: HIERARCH card has no keyword name`);
  return { keyword, ...parseValueField(text.slice(equals + 1), `${where} (HIERARCH ${keyword})`) };
}

type ParsedField = Pick<Card, 'value' | 'comment' | 'real'>;

/** Parses the value and comment after the value indicator. */
function parseValueField(field: string, where: string): ParsedField {
  const start = field.length - field.trimStart().length;
  if (field[start] === "'") return parseStringField(field, start, where);
  const slash = field.indexOf('/');
  const token = (slash < 0 ? field : field.slice(0, slash)).trim();
  const comment = slash < 0 ? undefined : field.slice(slash + 1).trim();
  const parsed = parseToken(token, where);
  return comment === undefined ? parsed : { ...parsed, comment };
}

function parseStringField(field: string, open: number, where: string): ParsedField {
  let value = '';
  let i = open + 1;
  for (;;) {
    const close = field.indexOf("'", i);
    if (close < 0) throw new FitsError(`${where}: string value has no closing quote`);
    value += field.slice(i, close);
    if (field[close + 1] === "'") {
      value += "'";
      i = close + 2;
      continue;
    }
    i = close + 1;
    break;
  }
  const rest = field.slice(i).trim();
  if (rest !== '' && !rest.startsWith('/')) {
    throw new FitsError(`${where}: unexpected text "${rest}" after the string value`);
  }
  // Trailing spaces in a string value are not significant (standard §4.2.1.1); leading ones are.
  const parsed: ParsedField = { value: value.trimEnd() };
  return rest === '' ? parsed : { ...parsed, comment: rest.slice(1).trim() };
}

function parseToken(token: string, where: string): ParsedField {
  if (token === '') return { value: null };
  if (token === 'T') return { value: true };
  if (token === 'F') return { value: false };
  if (INTEGER.test(token)) {
    const n = Number(token);
    return { value: Number.isSafeInteger(n) ? n : BigInt(token) };
  }
  if (REAL.test(token)) return { value: Number(token.replace(/[Dd]/, 'E')), real: true };
  const complex = /^\(\s*([^,]+?)\s*,\s*([^)]+?)\s*\)$/.exec(token);
  if (complex?.[1] !== undefined && complex[2] !== undefined) {
    const re = Number(complex[1].replace(/[Dd]/, 'E'));
    const im = Number(complex[2].replace(/[Dd]/, 'E'));
    if (Number.isFinite(re) && Number.isFinite(im)) return { value: { re, im } };
  }
  throw new FitsError(`${where}: value "${token}" is not a string, logical, integer, real or complex`);
}

/** Formats a real so that reading it back gives the same double, with a '.' or an exponent. */
export function formatReal(x: number, keyword: string): string {
  if (!Number.isFinite(x)) throw new FitsError(`card ${keyword}: ${x} cannot be written in a FITS header`);
  const s = String(x);
  const e = s.indexOf('e');
  if (e >= 0) {
    const mantissa = s.slice(0, e);
    return `${mantissa.includes('.') ? mantissa : `${mantissa}.0`}E${s.slice(e + 1)}`;
  }
  return s.includes('.') ? s : `${s}.0`;
}

/** The value as FITS text; strings come back quoted, with quotes doubled. */
export function formatValue(card: Card): string {
  const { value, keyword } = card;
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return `'${value.replaceAll("'", "''").padEnd(8)}'`;
  if (typeof value === 'boolean') return value ? 'T' : 'F';
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'number') {
    if (!card.real && Number.isSafeInteger(value)) return String(value);
    return formatReal(value, keyword);
  }
  return `(${formatReal(value.re, keyword)}, ${formatReal(value.im, keyword)})`;
}

/** Checks a card the writer is asked to emit; long strings are handled by the header, not here. */
export function validateCard(card: Card): void {
  const { keyword } = card;
  if (keyword.length === 0 && card.value !== undefined)
    throw new FitsError('a card with a value has no keyword');
  if (needsHierarch(keyword) && !/^[\x21-\x7e]+( [\x21-\x7e]+)*$/.test(keyword)) {
    throw new FitsError(`keyword "${keyword}" has characters that no FITS card can hold`);
  }
  for (const text of [card.comment ?? '', typeof card.value === 'string' ? card.value : '']) {
    if (!/^[\x20-\x7e]*$/.test(text)) {
      throw new FitsError(`card ${keyword}: text has characters outside printable ASCII`);
    }
  }
}

/** Formats one card (no CONTINUE splitting) into exactly 80 characters; throws when it cannot fit. */
export function formatCard(card: Card): string {
  validateCard(card);
  const { keyword, comment } = card;
  if (card.value === undefined) {
    const text = `${keyword.padEnd(8)}${comment ?? ''}`;
    if (text.length > CARD_LENGTH)
      throw new FitsError(`card ${keyword}: commentary text longer than 72 characters`);
    return text.padEnd(CARD_LENGTH);
  }
  const value = formatValue(card);
  let text: string;
  if (needsHierarch(keyword)) {
    text = `HIERARCH ${keyword} = ${value}`;
  } else {
    // Fixed format: strings start in column 11, other values end in column 30.
    const placed = typeof card.value === 'string' || card.value === null ? value : value.padStart(20);
    text = `${keyword.padEnd(8)}= ${placed}`;
  }
  if (text.length > CARD_LENGTH) {
    throw new FitsError(`card ${keyword}: value ${value} does not fit in 80 characters`);
  }
  if (comment !== undefined && comment !== '' && text.length <= CARD_LENGTH - 3) {
    // A comment is not data: when it is too long it is cut, as other FITS writers do.
    text = `${text} / ${comment}`.slice(0, CARD_LENGTH);
  }
  return text.padEnd(CARD_LENGTH);
}
