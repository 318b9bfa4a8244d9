// A FITS header: an ordered list of cards, read from and written to 2880-byte blocks. Long strings
// are joined from and split into CONTINUE cards here, so the rest of the codec sees one value.

import { CARD_LENGTH, type Card, type CardValue, formatCard, needsHierarch, parseCard } from './card';
import { FitsError } from './errors';

export const BLOCK_LENGTH = 2880;
const CARDS_PER_BLOCK = BLOCK_LENGTH / CARD_LENGTH;
/** Characters of a long string that fit between the quotes of one card, leaving room for '&'. */
const LONG_STRING_CHUNK = 67;

export class Header {
  readonly cards: readonly Card[];

  constructor(cards: readonly Card[] = []) {
    this.cards = cards;
  }

  /** The value of the first card with this keyword (undefined when absent or commentary). */
  get(keyword: string): CardValue | undefined {
    return this.cards.find((card) => card.keyword === keyword && card.value !== undefined)?.value;
  }

  has(keyword: string): boolean {
    return this.get(keyword) !== undefined;
  }

  /** A numeric value as a double; undefined when absent; throws when the card holds something else. */
  number(keyword: string): number | undefined {
    const value = this.get(keyword);
    if (value === undefined) return undefined;
    if (typeof value === 'number') return value;
    if (typeof value === 'bigint') return Number(value);
    throw new FitsError(`keyword ${keyword} should be a number, found ${describeValue(value)}`);
  }

  /** An integer value; throws when the card holds a real, a string or an integer beyond 2^53. */
  integer(keyword: string): number | undefined {
    const value = this.get(keyword);
    if (value === undefined) return undefined;
    if (typeof value === 'number' && Number.isInteger(value)) return value;
    throw new FitsError(`keyword ${keyword} should be an integer, found ${describeValue(value)}`);
  }

  /** An integer value that must be present. */
  requiredInteger(keyword: string): number {
    const value = this.integer(keyword);
    if (value === undefined) throw new FitsError(`required keyword ${keyword} is missing`);
    return value;
  }

  string(keyword: string): string | undefined {
    const value = this.get(keyword);
    if (value === undefined) return undefined;
    if (typeof value === 'string') return value;
    throw new FitsError(`keyword ${keyword} should be a string, found ${describeValue(value)}`);
  }

  boolean(keyword: string): boolean | undefined {
    const value = this.get(keyword);
    if (value === undefined) return undefined;
    if (typeof value === 'boolean') return value;
    throw new FitsError(`keyword ${keyword} should be T or F, found ${describeValue(value)}`);
  }

  /** A copy with the first card of this keyword replaced, or the card appended. */
  with(card: Card): Header {
    const index = this.cards.findIndex((c) => c.keyword === card.keyword && c.value !== undefined);
    if (index < 0) return new Header([...this.cards, card]);
    const cards = [...this.cards];
    cards[index] = card;
    return new Header(cards);
  }

  /** A copy without the cards the predicate names. */
  without(drop: (card: Card) => boolean): Header {
    return new Header(this.cards.filter((card) => !drop(card)));
  }
}

function describeValue(value: CardValue): string {
  if (typeof value === 'string') return `'${value}'`;
  if (value === null) return 'an undefined value';
  if (typeof value === 'object') return `(${value.re}, ${value.im})`;
  return String(value);
}

export interface ParsedHeader {
  readonly header: Header;
  /** Byte offset just past the header's last block: where the data unit starts. */
  readonly end: number;
}

/** Reads the header that starts at `offset` (a block boundary) up to and including its END card. */
export function parseHeader(bytes: Uint8Array, offset: number): ParsedHeader {
  const cards: Card[] = [];
  let position = offset;
  for (;;) {
    if (position + CARD_LENGTH > bytes.length) {
      throw new FitsError(`header has no END card before the end of the file (read ${cards.length} cards)`);
    }
    const text = latin1(bytes, position, CARD_LENGTH);
    position += CARD_LENGTH;
    const number = (position - offset) / CARD_LENGTH;
    if (text.startsWith('END') && text.slice(3).trim() === '') break;
    cards.push(parseCard(text, `card ${number}`));
  }
  const blocks = Math.ceil((position - offset) / BLOCK_LENGTH);
  const end = offset + blocks * BLOCK_LENGTH;
  if (end > bytes.length) throw new FitsError('header block is truncated: the file ends inside it');
  return { header: new Header(joinContinuations(cards)), end };
}

function latin1(bytes: Uint8Array, start: number, length: number): string {
  let text = '';
  for (let i = start; i < start + length; i++) text += String.fromCharCode(bytes[i] ?? 0);
  return text;
}

/** Joins a string ending in '&' with the CONTINUE cards after it (the OGIP long-string convention). */
function joinContinuations(cards: readonly Card[]): Card[] {
  const joined: Card[] = [];
  for (let i = 0; i < cards.length; i++) {
    const card = cards[i] as Card;
    if (typeof card.value !== 'string' || !card.value.endsWith('&') || card.keyword === 'CONTINUE') {
      joined.push(card);
      continue;
    }
    let value = card.value;
    const comments = card.comment ? [card.comment] : [];
    while (value.endsWith('&') && cards[i + 1]?.keyword === 'CONTINUE') {
      const next = cards[++i] as Card;
      if (typeof next.value !== 'string') break;
      value = value.slice(0, -1) + next.value;
      if (next.comment) comments.push(next.comment);
    }
    joined.push({
      keyword: card.keyword,
      value,
      ...(comments.length ? { comment: comments.join(' ') } : {}),
    });
  }
  return joined;
}

/** Formats cards, then END, padded with spaces to whole blocks. */
export function formatHeader(cards: readonly Card[]): Uint8Array {
  const lines = [...headerLines(announceLongStrings(cards)), 'END'.padEnd(CARD_LENGTH)];
  const blocks = Math.ceil(lines.length / CARDS_PER_BLOCK);
  const out = new Uint8Array(blocks * BLOCK_LENGTH).fill(0x20);
  let position = 0;
  for (const line of lines) {
    for (let i = 0; i < CARD_LENGTH; i++) out[position + i] = line.charCodeAt(i);
    position += CARD_LENGTH;
  }
  return out;
}

/** The 80-character lines of the cards (long strings split into CONTINUE cards), without END. */
export function headerLines(cards: readonly Card[]): string[] {
  return cards.flatMap(formatWithContinuations);
}

/** The convention asks for LONGSTRN before the first long string; fitsverify warns without it. */
function announceLongStrings(cards: readonly Card[]): readonly Card[] {
  if (cards.some((card) => card.keyword === 'LONGSTRN')) return cards;
  const first = cards.findIndex(
    (card) => formatWithContinuations(card).length > 1 && typeof card.value === 'string',
  );
  if (first < 0) return cards;
  const longstrn: Card = {
    keyword: 'LONGSTRN',
    value: 'OGIP 1.0',
    comment: 'CONTINUE long strings are used',
  };
  return [...cards.slice(0, first), longstrn, ...cards.slice(first)];
}

function formatWithContinuations(card: Card): string[] {
  const { value, keyword } = card;
  if (value === undefined && (keyword === 'COMMENT' || keyword === 'HISTORY' || keyword === '')) {
    return splitCommentary(card);
  }
  const escapedLength = typeof value === 'string' ? value.replaceAll("'", "''").length : 0;
  if (typeof value !== 'string' || escapedLength <= 68 || needsHierarch(keyword)) return [formatCard(card)];
  const chunks = splitLongString(value);
  // With a comment, the last chunk continues into an empty string that carries it.
  const lines = chunks.map((chunk, i) => {
    const last = i === chunks.length - 1 && !card.comment;
    const text = last ? chunk : `${chunk}&`;
    return i === 0 ? formatCard({ keyword, value: text }) : formatCard({ keyword: 'CONTINUE', value: text });
  });
  if (card.comment) lines.push(formatCard({ keyword: 'CONTINUE', value: '', comment: card.comment }));
  return lines.map((line, i) => (i === 0 ? line : continueLine(line)));
}

/** CONTINUE cards have no value indicator: columns 9–10 are spaces. */
function continueLine(line: string): string {
  return `CONTINUE  ${line.slice(10)}`;
}

/** Splits a long string so that no chunk, once quotes are doubled, exceeds one card. */
function splitLongString(value: string): string[] {
  const chunks: string[] = [];
  let chunk = '';
  let width = 0;
  for (const ch of value) {
    const w = ch === "'" ? 2 : 1;
    if (width + w > LONG_STRING_CHUNK) {
      chunks.push(chunk);
      chunk = '';
      width = 0;
    }
    chunk += ch;
    width += w;
  }
  chunks.push(chunk);
  return chunks;
}

function splitCommentary(card: Card): string[] {
  const text = card.comment ?? '';
  if (text.length <= 72) return [formatCard(card)];
  const lines: string[] = [];
  for (let i = 0; i < text.length; i += 72)
    lines.push(formatCard({ keyword: card.keyword, comment: text.slice(i, i + 72) }));
  return lines;
}
