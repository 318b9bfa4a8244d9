import { describe, expect, it } from 'vitest';
import { dayObsOf, dayObsToIsoDate, taiMinusUtcAt, taiToUtc, utcToTai } from '../../../service/domain/tai';

const utc = (iso: string) => Date.parse(iso) / 1000;

describe('TAI and day_obs', () => {
  it('applies the leap-second table', () => {
    expect(taiMinusUtcAt(utc('2026-11-28T00:00:00Z'))).toBe(37);
    expect(taiMinusUtcAt(utc('2016-12-31T23:59:59Z'))).toBe(36);
    expect(taiMinusUtcAt(utc('2017-01-01T00:00:00Z'))).toBe(37);
    expect(() => taiMinusUtcAt(utc('1990-01-01T00:00:00Z'))).toThrow(/before 1999/);
  });

  it('converts both ways, across a leap second too', () => {
    for (const iso of ['2026-11-28T18:00:00Z', '2017-01-01T00:00:10Z', '2016-12-31T23:59:30Z']) {
      expect(taiToUtc(utcToTai(utc(iso)))).toBe(utc(iso));
    }
    expect(utcToTai(utc('2026-11-28T18:00:00Z')) - utc('2026-11-28T18:00:00Z')).toBe(37);
  });

  it('rolls day_obs over at 12:00 TAI', () => {
    expect(dayObsOf(utc('2026-11-28T11:59:59Z'))).toBe(20261127);
    expect(dayObsOf(utc('2026-11-28T12:00:00Z'))).toBe(20261128);
    expect(dayObsToIsoDate(20261128)).toBe('2026-11-28');
    expect(() => dayObsToIsoDate(2026112)).toThrow(/YYYYMMDD/);
  });
});
