import { describe, expect, it } from 'vitest';
import {
  htmEnvelope,
  htmIndex,
  htmIndexOfVector,
  htmLevelOf,
  mergeRanges,
} from '../../../service/domain/sky/htm';
import { normalize, separationDeg } from '../../../service/domain/sky/sky-circle';
import { seededUniform } from '../../../service/domain/synthetic/random';

describe('HTM index (numbered as lsst.sphgeom)', () => {
  it('matches sphgeom test values: (1,1,1) is 63 at level 1, N0 centre is 831 at level 3', () => {
    expect(htmIndexOfVector(normalize(1, 1, 1), 1)).toBe(63);
    expect(htmIndexOfVector(normalize(1, 1, 1), 3)).toBe(0x3ff);
    expect(htmIndexOfVector(normalize(1, -1, 1), 3)).toBe(831);
  });

  it('puts each octant centre in its root triangle S0..S3 = 8..11, N0..N3 = 12..15', () => {
    const centres: [number, number, number, number][] = [
      [1, 1, -1, 8],
      [-1, 1, -1, 9],
      [-1, -1, -1, 10],
      [1, -1, -1, 11],
      [1, -1, 1, 12],
      [-1, -1, 1, 13],
      [-1, 1, 1, 14],
      [1, 1, 1, 15],
    ];
    for (const [x, y, z, id] of centres) expect(htmIndexOfVector(normalize(x, y, z), 0)).toBe(id);
  });

  it('gives level-20 ids in [8·4^20, 16·4^20) whose level-7 prefix is the level-7 id', () => {
    const next = seededUniform(1);
    for (let i = 0; i < 200; i++) {
      const ra = next() * 360;
      const dec = Math.asin(2 * next() - 1) * (180 / Math.PI);
      const id20 = htmIndex(ra, dec, 20);
      expect(id20).toBeGreaterThanOrEqual(8 * 4 ** 20);
      expect(id20).toBeLessThan(16 * 4 ** 20);
      expect(Math.floor(id20 / 4 ** 13)).toBe(htmIndex(ra, dec, 7));
      expect(htmLevelOf(id20)).toBe(20);
    }
  });

  it('fails on a level outside 0..24', () => {
    expect(() => htmIndex(10, 10, 25)).toThrow(/HTM level 25/);
    expect(() => htmIndex(10, 10, -1)).toThrow(RangeError);
  });
});

describe('HTM envelope of a circle', () => {
  it('covers every point inside the circle with at most 64 ranges', () => {
    const next = seededUniform(7);
    for (const circle of [
      { raDeg: 149.28, decDeg: 2.93, radiusDeg: 0.2 },
      { raDeg: 0.05, decDeg: -0.02, radiusDeg: 1.5 },
      { raDeg: 200, decDeg: 89.9, radiusDeg: 0.5 },
      { raDeg: 10, decDeg: -30, radiusDeg: 0.001 },
    ]) {
      const ranges = htmEnvelope(circle, 20, 64);
      expect(ranges.length).toBeGreaterThan(0);
      expect(ranges.length).toBeLessThanOrEqual(64);
      for (let i = 0; i < 300; i++) {
        const r = circle.radiusDeg * Math.sqrt(next());
        const theta = next() * 2 * Math.PI;
        const dec = Math.max(-90, Math.min(90, circle.decDeg + r * Math.sin(theta)));
        const ra = circle.raDeg + (r * Math.cos(theta)) / Math.max(1e-6, Math.cos((dec * Math.PI) / 180));
        if (separationDeg(ra, dec, circle.raDeg, circle.decDeg) > circle.radiusDeg) continue;
        const id = htmIndex(ra, dec, 20);
        expect(ranges.some((range) => id >= range.begin && id < range.end)).toBe(true);
      }
    }
  });

  it('is small for a small circle: a detector-sized region covers far less than its root triangle', () => {
    const ranges = htmEnvelope({ raDeg: 149.28, decDeg: 2.93, radiusDeg: 0.2 }, 20, 64);
    const covered = ranges.reduce((sum, r) => sum + (r.end - r.begin), 0);
    expect(covered).toBeLessThan(4 ** 20 / 1000);
  });

  it('merges touching ranges and fills the smallest gaps first', () => {
    expect(
      mergeRanges(
        [
          { begin: 10, end: 20 },
          { begin: 0, end: 5 },
          { begin: 20, end: 25 },
          { begin: 100, end: 110 },
        ],
        2,
      ),
    ).toEqual([
      { begin: 0, end: 25 },
      { begin: 100, end: 110 },
    ]);
  });
});
