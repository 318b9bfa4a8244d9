import { describe, expect, it } from 'vitest';
import { judgeKey, judgeSidecar } from '../../../service/activator/snap-matcher';
import { fannedOutVisitSchema, fanOutVisit } from '../../../service/domain/next-visit';
import { parseRawKey } from '../../../service/domain/raw-keys';
import { utcToTai } from '../../../service/domain/tai';
import { randomPoolDetectors } from '../../../tester/pool/curated-groups';
import { GroupIdAllocator } from '../../../tester/upload/claim-ids';
import {
  claimKey,
  firstCandidateSeq,
  GroupIdError,
  groupIdsFor,
  hscExposureId,
} from '../../../tester/upload/group-ids';
import { nextVisitFor } from '../../../tester/upload/next-visit-message';
import { rawTargetFor } from '../../../tester/upload/raw-keys-for-group';

// 2026-11-28 20:00:00 UTC: 8 h + 37 s after the 12:00 TAI rollover of day_obs 20261128.
const NOW_UTC = Date.UTC(2026, 10, 28, 20, 0, 0) / 1000;

describe('tester group ids', () => {
  it('uses upstream formats: LSST YYYY-MM-DDT00:00:00.<seq6> and day_obs·100000+seq, HSC 8-digit EXP-ID', () => {
    const seq = firstCandidateSeq('LATISS', utcToTai(NOW_UTC));
    expect(seq).toBe(8 * 3600 + 37 + 1);
    const lsst = groupIdsFor('LATISS', 20261128, seq, 2);
    expect(lsst.groupId).toBe('2026-11-28T00:00:00.028838');
    expect(lsst.exposures).toEqual([
      { seqNum: 28838, exposureId: 2026112828838 },
      { seqNum: 28839, exposureId: 2026112828839 },
    ]);
    const hsc = groupIdsFor('HSC', 20261128, 2883, 1);
    // 2020-01-01 → 2026-11-28 is 2523 days.
    expect(hsc.exposures[0]?.exposureId).toBe(25_232_883);
    expect(hsc.groupId).toBe('25232883');
    expect(hscExposureId(20200101, 0)).toBe(0);
  });

  it('fails when the night has no sequence numbers left, saying when new ones come', () => {
    expect(() => groupIdsFor('LATISS', 20261128, 99_999, 2)).toThrow(GroupIdError);
    expect(() => groupIdsFor('HSC', 20261128, 9_999, 2)).toThrow(/rollover at 12:00 TAI/);
  });

  it('skips numbers another run claimed and never hands out one twice', async () => {
    const claimed = new Set<string>([claimKey('LSSTCam', 20261128, 28838)]);
    const store = {
      claim: async (key: string) => {
        if (claimed.has(key)) return false;
        claimed.add(key);
        return true;
      },
    };
    const a = new GroupIdAllocator(store, 'LSSTCam', 'run-a');
    const b = new GroupIdAllocator(store, 'LSSTCam', 'run-b');
    const tai = utcToTai(NOW_UTC);
    const ids = await Promise.all([
      a.allocate(1, tai),
      b.allocate(1, tai),
      a.allocate(1, tai),
      b.allocate(1, tai),
    ]);
    const exposures = ids.map((g) => g.exposures[0]?.exposureId);
    expect(new Set(exposures).size).toBe(4);
    expect(exposures).not.toContain(2026112828838);
  });

  it('makes keys the service parses back to the same ids (LSST with sidecar, HSC in the key)', () => {
    const lsst = groupIdsFor('LSSTCam', 20261128, 28838, 1);
    const target = rawTargetFor(lsst, 94, 0, 'r', '.fits');
    expect(target.key).toBe('LSSTCam/20261128/MC_O_20261128_028838/MC_O_20261128_028838_R22_S11.fits');
    expect(target.sidecarKey).toBe('LSSTCam/20261128/MC_O_20261128_028838/MC_O_20261128_028838_R22_S11.json');
    const expected = { instrument: 'LSSTCam', detector: 94, group: lsst.groupId, nimages: 1 };
    const verdict = judgeKey(target.key, expected);
    if (verdict.kind !== 'needs-sidecar') throw new Error(`expected needs-sidecar, got ${verdict.kind}`);
    expect(judgeSidecar(target.key, verdict.rawKey, { GROUPID: lsst.groupId }, expected)?.exposureId).toBe(
      2026112828838,
    );

    const hsc = groupIdsFor('HSC', 20261128, 2883, 1);
    const hscKey = rawTargetFor(hsc, 50, 0, 'r', '.fits').key;
    expect(parseRawKey(hscKey)).toMatchObject({ style: 'other', detector: 50, group: '25232883', snap: 0 });
    expect(
      judgeKey(hscKey, { instrument: 'HSC', detector: 50, group: '25232883', nimages: 1 }),
    ).toMatchObject({
      kind: 'match',
      raw: { exposureId: 25_232_883 },
    });
  });

  it('announces the group with a next_visit that fans out into valid FannedOutVisits', () => {
    const visit = nextVisitFor({
      instrument: 'HSC',
      groupId: '25232883',
      group: { raDeg: 150.1, decDeg: 2.2, physicalFilter: 'HSC-R', salIndex: 59150, snaps: 1 },
      nowUtc: NOW_UTC,
      slewSeconds: 2,
    });
    expect(visit.private_sndStamp).toBe(NOW_UTC + 37);
    expect(visit.startTime).toBe(NOW_UTC + 39);
    expect(visit.duration).toBe(20);
    for (const fanned of fanOutVisit(visit, [50, 58]))
      expect(fannedOutVisitSchema.parse(fanned).groupId).toBe('25232883');
  });

  it('draws random-pool detectors the fan-out addresses first (HSC: 103, 104)', () => {
    expect(randomPoolDetectors('HSC', 4)).toEqual([103, 104, 0, 1]);
    expect(randomPoolDetectors('LSSTCam', 3)).toEqual([0, 1, 2]);
  });
});
