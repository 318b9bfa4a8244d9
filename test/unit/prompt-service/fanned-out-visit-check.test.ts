// The compiled check of the HTTP edge must accept exactly what the domain's zod schema accepts.
import { describe, expect, it } from 'vitest';
import { fannedOutVisitSchema } from '../../../service/domain/next-visit';
import { checkFannedOutVisit } from '../../../service/prompt-service/fanned-out-visit-check';
import { summitVisit } from '../../support/next-visit-fixtures';

const visit: Record<string, unknown> = { ...summitVisit(1_795_849_200), detector: 5 };

/** Every field replaced by each of these, or removed. */
const replacements: readonly unknown[] = [
  undefined,
  null,
  '7',
  '',
  true,
  -1,
  0,
  1.5,
  2,
  7,
  2 ** 60,
  [1],
  [1, 2],
  [1, 2, 3],
  ['1', 2],
  {},
];

const variants: Array<[string, unknown]> = [
  ['the visit', visit],
  ['an unknown field', { ...visit, extra: 1 }],
  ['a string', 'visit'],
  ['an array', [visit]],
  ...Object.keys(visit).flatMap((field) => {
    const { [field]: _dropped, ...without } = visit;
    return [
      [`no ${field}`, without] as [string, unknown],
      ...replacements.map(
        (value) => [`${field}=${JSON.stringify(value)}`, { ...visit, [field]: value }] as [string, unknown],
      ),
    ];
  }),
];

describe('checkFannedOutVisit', () => {
  it.each(variants)('agrees with the zod schema on %s', (_what, value) => {
    const check = checkFannedOutVisit(value);
    expect('visit' in check).toBe(fannedOutVisitSchema.safeParse(value).success);
  });

  it('finds mistakes among the variants, so the agreement means something', () => {
    const refused = variants.filter(([, value]) => 'refusal' in checkFannedOutVisit(value));
    expect(refused.length).toBeGreaterThan(variants.length / 2);
  });

  it.each([
    [{ ...visit, extra: true }, /unknown field\(s\): extra/],
    [{ ...visit, detector: '0' }, /detector: must be integer/],
    [{ ...visit, dome: 7 }, /dome must be one of 1, 2, 3/],
    [{ ...visit, detector: undefined }, /detector: required/],
    [{ ...visit, position: [1] }, /position/],
  ])('names what is wrong (%#)', (value, reason) => {
    const check = checkFannedOutVisit(JSON.parse(JSON.stringify(value)));
    expect('refusal' in check ? check.refusal : '').toMatch(reason);
  });
});
