import { describe, expect, it } from 'vitest';
import { groupPrefix, judgeKey, judgeSidecar } from '../../../service/activator/snap-matcher';
import { lsstRawKeyOf, otherRawKeyOf } from '../../../service/domain/raw-keys';

const hsc = { instrument: 'HSC', detector: 50, group: '11020003', nimages: 2 } as const;
const hscKey = (overrides: Partial<Parameters<typeof otherRawKeyOf>[0]> = {}) =>
  otherRawKeyOf({
    instrument: 'HSC',
    detector: 50,
    group: '11020003',
    snap: 0,
    exposureId: '59150',
    filter: 'HSC_I',
    ...overrides,
  });

describe('snap matching', () => {
  it('matches an HSC raw of the group, detector and a snap within nimages', () => {
    expect(judgeKey(hscKey(), hsc)).toMatchObject({ kind: 'match', raw: { exposureId: 59150 } });
    expect(judgeKey(hscKey({ snap: 1, exposureId: '59152' }), hsc).kind).toBe('match');
  });

  it.each([
    ['another group', hscKey({ group: '11020004' })],
    ['another detector', hscKey({ detector: 51 })],
    ['a snap beyond nimages', hscKey({ snap: 2 })],
    [
      'another instrument',
      lsstRawKeyOf({
        instrument: 'LATISS',
        dayObs: 20261128,
        controller: 'O',
        seqNum: 1,
        raftSensor: 'R00_S00',
      }),
    ],
    ['a sidecar', 'LATISS/20261128/AT_O_20261128_000001/AT_O_20261128_000001_R00_S00.json'],
    ['a non-numeric exposure', hscKey({ exposureId: 'HSCE5915' })],
  ])('ignores %s', (_what, key) => {
    expect(judgeKey(key, hsc).kind).toBe('foreign');
  });

  it('takes any snap when nimages is unknown', () => {
    expect(judgeKey(hscKey({ snap: 7 }), { ...hsc, nimages: 0 }).kind).toBe('match');
  });

  it('asks for the sidecar of an LSST raw, and matches on its GROUPID', () => {
    const latiss = {
      instrument: 'LATISS',
      detector: 0,
      group: '2026-11-28T03:14:15.926',
      nimages: 1,
    } as const;
    const key = lsstRawKeyOf({
      instrument: 'LATISS',
      dayObs: 20261128,
      controller: 'O',
      seqNum: 42,
      raftSensor: 'R00_S00',
    });
    const verdict = judgeKey(key, latiss);
    expect(verdict.kind).toBe('needs-sidecar');
    if (verdict.kind !== 'needs-sidecar') return;
    expect(judgeSidecar(key, verdict.rawKey, { GROUPID: latiss.group }, latiss)?.exposureId).toBe(
      2026112800042,
    );
    expect(judgeSidecar(key, verdict.rawKey, { GROUPID: 'other' }, latiss)).toBeUndefined();
    expect(judgeSidecar(key, verdict.rawKey, {}, latiss)).toBeUndefined();
  });

  it('lists the prefix holding a group of one detector', () => {
    expect(groupPrefix(hsc)).toBe('HSC/50/11020003/');
  });
});
