// Fresh group and exposure ids for the tester, in upstream's formats but never reused. Pure: the
// allocator (claim-ids.ts) proposes numbers from the clock and makes them unique by claiming them
// in the users bucket with a conditional create, which at most one writer anywhere can win.
//
// LSST cameras: group `YYYY-MM-DDT00:00:00.<seq6>` (upstream's tester form) for the observing night
// `day_obs`; each snap is exposure `day_obs·100000 + seq`, obs_id `<AT|CC|MC>_O_<day_obs>_<seq6>`.
// The first seq tried is the seconds since the night's rollover + 1 (1–86400, under the 5-digit
// limit of exposure ids), so runs on different machines seldom even compete for a number.
// HSC: the exposure id (EXP-ID `HSCE%08d`) is `days since 2020-01-01 · 10000 + seq` (8 digits until
// 2047); seq starts at the rollover's seconds / 10; the group is the exposure id as text.

import type { InstrumentName } from '../../service/domain/instruments';
import { dayObsOf, dayObsToIsoDate } from '../../service/domain/tai';

export interface GroupIds {
  readonly instrument: InstrumentName;
  readonly groupId: string;
  readonly dayObs: number;
  /** One per snap: the LSST sequence numbers, or HSC's exposure ids. */
  readonly exposures: readonly SnapIds[];
}

export interface SnapIds {
  readonly seqNum: number;
  readonly exposureId: number;
}

export class GroupIdError extends Error {
  override readonly name = 'GroupIdError';
}

const HSC_EPOCH_UNIX = Date.UTC(2020, 0, 1) / 1000;
const LSST_MAX_SEQ = 99_999;
const HSC_MAX_SEQ = 9_999;

/** Seconds since the day_obs rollover (12:00 TAI) of the instant. */
function secondsIntoNight(taiUnixSeconds: number): number {
  return Math.floor((((taiUnixSeconds - 12 * 3600) % 86_400) + 86_400) % 86_400);
}

/** The first sequence number to try for a group starting at this instant. */
export function firstCandidateSeq(instrument: InstrumentName, taiUnixSeconds: number): number {
  const seconds = secondsIntoNight(taiUnixSeconds);
  return instrument === 'HSC' ? Math.floor(seconds / 10) : seconds + 1;
}

export function maxSeq(instrument: InstrumentName): number {
  return instrument === 'HSC' ? HSC_MAX_SEQ : LSST_MAX_SEQ;
}

/** HSC exposure id for a night and sequence number. */
export function hscExposureId(dayObs: number, seq: number): number {
  const iso = dayObsToIsoDate(dayObs);
  const days = Math.round((Date.parse(`${iso}T00:00:00Z`) / 1000 - HSC_EPOCH_UNIX) / 86_400);
  if (days < 0 || days > 9_999) throw new GroupIdError(`day_obs ${dayObs} is outside 2020–2047`);
  return days * 10_000 + seq;
}

/**
 * Group ids for a group whose first snap has sequence number `seq` and which takes `snaps`
 * consecutive numbers. Throws GroupIdError when the night's numbers run out.
 */
export function groupIdsFor(
  instrument: InstrumentName,
  dayObs: number,
  seq: number,
  snaps: number,
): GroupIds {
  if (seq + snaps - 1 > maxSeq(instrument))
    throw new GroupIdError(
      `no ${instrument} sequence numbers left on day_obs ${dayObs} (${seq}+${snaps} > ${maxSeq(instrument)}): wait for the next night's rollover at 12:00 TAI`,
    );
  const exposures = Array.from({ length: snaps }, (_, i) => {
    const seqNum = seq + i;
    const exposureId = instrument === 'HSC' ? hscExposureId(dayObs, seqNum) : dayObs * 100_000 + seqNum;
    return { seqNum, exposureId };
  });
  const groupId =
    instrument === 'HSC'
      ? String(exposures[0]?.exposureId)
      : `${dayObsToIsoDate(dayObs)}T00:00:00.${String(seq).padStart(6, '0')}`;
  return { instrument, groupId, dayObs, exposures };
}

/** The night the tester files a group under. */
export function testerDayObs(taiUnixSeconds: number): number {
  return dayObsOf(taiUnixSeconds);
}

/** The claim object's key for one sequence number: `tester-claims/<INST>/<day_obs>/<seq>`. */
export function claimKey(instrument: InstrumentName, dayObs: number, seq: number): string {
  return `tester-claims/${instrument}/${dayObs}/${String(seq).padStart(6, '0')}`;
}
