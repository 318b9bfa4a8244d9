import { describe, expect, it } from 'vitest';
import { type Card, formatCard, parseCard } from '../../../service/domain/fits/card';
import { FitsError } from '../../../service/domain/fits/errors';
import { formatHeader, parseHeader } from '../../../service/domain/fits/header';

const card = (text: string): Card => parseCard(text.padEnd(80), 'card 1');
const lines = (bytes: Uint8Array): string[] => {
  const text = Buffer.from(bytes).toString('latin1');
  return Array.from({ length: text.length / 80 }, (_, i) => text.slice(i * 80, i * 80 + 80).trimEnd());
};

describe('parsing cards', () => {
  it('reads strings with doubled quotes, keeps leading spaces and drops trailing ones', () => {
    expect(card("OBJECT  = 'it''s   '  / name")).toEqual({
      keyword: 'OBJECT',
      value: "it's",
      comment: 'name',
    });
    expect(card("PAD     = '  x  '")).toEqual({ keyword: 'PAD', value: '  x' });
  });

  it('reads logicals, integers, big integers, reals (D exponents too) and complex values', () => {
    expect(card('SIMPLE  =                    T').value).toBe(true);
    expect(card('NAXIS1  =                 -576').value).toBe(-576);
    expect(card('BZERO   =  9223372036854775808').value).toBe(9223372036854775808n);
    expect(card('EXPTIME =                 30.0')).toEqual({ keyword: 'EXPTIME', value: 30, real: true });
    expect(card('SMALL   =             1.5D-300').value).toBe(1.5e-300);
    expect(card('Z       = (1.5, -2)').value).toEqual({ re: 1.5, im: -2 });
  });

  it('reads an undefined value as null and commentary cards as text', () => {
    expect(card('UNDEF   =          / nothing')).toEqual({
      keyword: 'UNDEF',
      value: null,
      comment: 'nothing',
    });
    expect(card('COMMENT   some words')).toEqual({ keyword: 'COMMENT', comment: '  some words' });
    expect(card('HISTORY = not a value')).toEqual({ keyword: 'HISTORY', comment: '= not a value' });
    expect(card('')).toEqual({ keyword: '' });
  });

  it('reads HIERARCH names with spaces', () => {
    expect(card("HIERARCH ESO DET CHIP NAME = 'CCD-1' / chip")).toEqual({
      keyword: 'ESO DET CHIP NAME',
      value: 'CCD-1',
      comment: 'chip',
    });
  });

  it('fails on lowercase keywords, unterminated strings, junk values and non-ASCII bytes', () => {
    expect(() => card('naxis   =                    2')).toThrow(/keyword "naxis" has characters/);
    expect(() => card("OBJECT  = 'open")).toThrow(/card 1 \(OBJECT\): string value has no closing quote/);
    expect(() => card('NAXIS   =                  2x')).toThrow(/value "2x" is not/);
    expect(() => card("OBJECT  = 'a' b")).toThrow(/unexpected text "b"/);
    expect(() => card("OBJECT  = '\u00e9'")).toThrow(FitsError);
  });
});

describe('formatting cards', () => {
  it('writes fixed-format values: strings from column 11, numbers ending in column 30', () => {
    expect(formatCard({ keyword: 'NAXIS', value: 2 }).trimEnd()).toBe('NAXIS   =                    2');
    // closing quote in column 20: the string is padded to 8 characters
    expect(formatCard({ keyword: 'OBJECT', value: "it's", comment: 'c' }).trimEnd()).toBe(
      "OBJECT  = 'it''s   ' / c",
    );
    expect(formatCard({ keyword: 'EXPTIME', value: 30, real: true }).trimEnd()).toBe(
      'EXPTIME =                 30.0',
    );
    expect(formatCard({ keyword: 'TINY', value: 1e-300 }).trimEnd()).toBe('TINY    =             1.0E-300');
    expect(formatCard({ keyword: 'BIG', value: -(2n ** 63n) }).trimEnd()).toBe(
      'BIG     = -9223372036854775808',
    );
  });

  it('round-trips every value type through text', () => {
    const cards: Card[] = [
      { keyword: 'S', value: "a 'quoted' value" },
      { keyword: 'R', value: 0.1 + 0.2, real: true },
      { keyword: 'I', value: 2n ** 62n },
      { keyword: 'B', value: false },
      { keyword: 'U', value: null },
      { keyword: 'C', value: { re: 1.25, im: -3 } },
      { keyword: 'LONG NAME', value: 7 },
    ];
    for (const c of cards) expect(parseCard(formatCard(c), 'card')).toEqual(c);
  });

  it('fails on values FITS cannot hold', () => {
    expect(() => formatCard({ keyword: 'NAN', value: Number.NaN })).toThrow(/NaN cannot be written/);
    expect(() => formatCard({ keyword: 'UTF', value: 'é' })).toThrow(/outside printable ASCII/);
    expect(() => formatCard({ keyword: 'TAB\tKEY', value: 1 })).toThrow(/no FITS card can hold/);
  });
});

describe('headers', () => {
  it('splits long strings into CONTINUE cards after LONGSTRN and joins them back', () => {
    const value = `${"it's ".repeat(30)}end`;
    const bytes = formatHeader([{ keyword: 'LONGSTR', value, comment: 'a comment' }]);
    const text = lines(bytes);
    expect(text[0]).toMatch(/^LONGSTRN= 'OGIP 1.0'/);
    expect(text[1]).toMatch(/^LONGSTR = '.*&'$/);
    expect(text[2]).toMatch(/^CONTINUE {2}'/);
    expect(text.every((line) => line.length <= 80)).toBe(true);
    const { header } = parseHeader(bytes, 0);
    expect(header.get('LONGSTR')).toBe(value);
    expect(header.cards.find((c) => c.keyword === 'LONGSTR')?.comment).toBe('a comment');
  });

  it('pads to whole 2880-byte blocks with END and spaces', () => {
    const cards: Card[] = Array.from({ length: 36 }, (_, i) => ({ keyword: `K${i}`, value: i }));
    const bytes = formatHeader(cards);
    expect(bytes.length).toBe(5760);
    expect(lines(bytes)[36]).toBe('END');
    expect(parseHeader(bytes, 0)).toMatchObject({ end: 5760 });
  });

  it('splits long COMMENT text over several cards', () => {
    const text = lines(formatHeader([{ keyword: 'COMMENT', comment: 'x'.repeat(100) }]));
    expect(text.slice(0, 2)).toEqual([`COMMENT ${'x'.repeat(72)}`, `COMMENT ${'x'.repeat(28)}`]);
  });

  it('typed getters fail with the keyword and what they found', () => {
    const { header } = parseHeader(formatHeader([{ keyword: 'NAXIS', value: 'two' }]), 0);
    expect(() => header.integer('NAXIS')).toThrow("keyword NAXIS should be an integer, found 'two'");
    expect(() => header.requiredInteger('BITPIX')).toThrow('required keyword BITPIX is missing');
  });
});
