import { describe, expect, it } from 'vitest';
import { formatTable } from '../../../tester/cli/summary-table';
import { recoverTransients } from '../../../tester/verify/match-transients';

describe('transient recovery', () => {
  it('matches each injected transient to one DIA source within 1 arcsec', () => {
    const injected = [
      { ra: 10, dec: 0 },
      { ra: 10.01, dec: 0 },
      { ra: 10.02, dec: 0 },
    ];
    const sources = [
      { ra: 10 + 0.5 / 3600, dec: 0 },
      { ra: 10 + 0.6 / 3600, dec: 0 }, // a second detection near the first: not a second match
      { ra: 10.02, dec: 2 / 3600 }, // 2" away: too far
    ];
    expect(recoverTransients(injected, sources)).toEqual({ injected: 3, found: 1, unmatchedSources: 2 });
  });
});

describe('summary table', () => {
  it('aligns text left and numbers right under a rule', () => {
    const table = formatTable(
      ['group', 'raws', 'MB'],
      [
        ['a', 3, 1.5],
        ['longer', 10, 12.25],
      ],
    );
    expect(table.split('\n')).toEqual([
      'group   raws     MB',
      '------  ----  -----',
      'a          3   1.50',
      'longer    10  12.25',
    ]);
  });
});
