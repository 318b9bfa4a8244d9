// TAI ↔ UTC for the times next_visit carries (private_sndStamp and startTime are TAI Unix seconds)
// and for day_obs. Pure: callers pass the instant; leap seconds come from the table below.

/** UTC instants (Unix seconds) from which TAI−UTC took the given value; newest first. */
const LEAP_SECONDS: ReadonlyArray<readonly [utcUnixSeconds: number, taiMinusUtc: number]> = [
  [1_483_228_800, 37], // 2017-01-01
  [1_435_708_800, 36], // 2015-07-01
  [1_341_100_800, 35], // 2012-07-01
  [1_230_768_000, 34], // 2009-01-01
  [1_136_073_600, 33], // 2006-01-01
  [915_148_800, 32], // 1999-01-01
];

/** TAI−UTC in seconds at a UTC instant; instants before 1999 are outside what Prompt Processing sees. */
export function taiMinusUtcAt(utcUnixSeconds: number): number {
  for (const [since, offset] of LEAP_SECONDS) if (utcUnixSeconds >= since) return offset;
  throw new RangeError(`no TAI−UTC offset known before 1999-01-01 (got Unix time ${utcUnixSeconds})`);
}

export function taiToUtc(taiUnixSeconds: number): number {
  // The offset changes only at leap seconds, so looking it up at the TAI value is exact except in the
  // ~37 s after one, where the previous offset is used first and corrected below.
  const guess = taiUnixSeconds - taiMinusUtcAt(taiUnixSeconds);
  return taiUnixSeconds - taiMinusUtcAt(guess);
}

export function utcToTai(utcUnixSeconds: number): number {
  return utcUnixSeconds + taiMinusUtcAt(utcUnixSeconds);
}

/**
 * The observing night an instant belongs to, as YYYYMMDD: the TAI date of the instant 12 hours
 * earlier (Rubin's day_obs rollover is at 12:00 TAI at the summit's −12 h offset convention).
 */
export function dayObsOf(taiUnixSeconds: number): number {
  const shifted = new Date((taiUnixSeconds - 12 * 3600) * 1000);
  return shifted.getUTCFullYear() * 10_000 + (shifted.getUTCMonth() + 1) * 100 + shifted.getUTCDate();
}

/** YYYYMMDD → "YYYY-MM-DD". */
export function dayObsToIsoDate(dayObs: number): string {
  const text = String(dayObs);
  if (!/^\d{8}$/.test(text)) throw new RangeError(`day_obs ${dayObs} is not YYYYMMDD`);
  return `${text.slice(0, 4)}-${text.slice(4, 6)}-${text.slice(6, 8)}`;
}

/** MJD of the Unix epoch (1970-01-01T00:00:00). */
export const UNIX_EPOCH_MJD = 40_587;

/** TAI MJD of a UTC instant given in Unix seconds. */
export function taiMjdFromUtc(utcUnixSeconds: number): number {
  return utcToTai(utcUnixSeconds) / 86_400 + UNIX_EPOCH_MJD;
}
