// Unix seconds ↔ MJD on the same time scale (the caller says which: TAI here). Pure.
const MJD_UNIX_EPOCH = 40_587;

export function mjdOfUnixSeconds(unixSeconds: number): number {
  return MJD_UNIX_EPOCH + unixSeconds / 86_400;
}
