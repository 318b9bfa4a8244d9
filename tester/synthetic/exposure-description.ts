// What a synthetic exposure claims to be: the observation facts its raw header carries. Times are
// TAI MJDs; calendar strings are derived from them arithmetically (no clock).

export interface ExposureDescription {
  /** Observing day, YYYYMMDD. */
  readonly dayObs: string;
  readonly seqNum: number;
  readonly groupId: string;
  /** IMGTYPE: OBJECT, BIAS, DARK, FLAT. */
  readonly imageType: string;
  /** Physical filter name as the camera writes it (r_57, SDSSr, HSC-I). */
  readonly filter: string;
  readonly exposureTimeSeconds: number;
  /** Defaults to the exposure time. */
  readonly darkTimeSeconds?: number;
  readonly beginMjdTai: number;
  readonly raDeg: number;
  readonly decDeg: number;
  /** Position angle of the camera on the sky, degrees. */
  readonly rotPaDeg: number;
  /** Snap index within the visit (CURINDEX, 1-based) and the number of snaps (MAXINDEX). */
  readonly snapIndex?: number;
  readonly snapCount?: number;
}

const MJD_UNIX_EPOCH = 40_587;

/** `YYYY-MM-DDThh:mm:ss.sss` on the MJD's own time scale (TAI here). */
export function isoFromMjd(mjd: number): string {
  return new Date(Math.round((mjd - MJD_UNIX_EPOCH) * 86_400_000)).toISOString().slice(0, 23);
}

export function endMjd(exposure: ExposureDescription): number {
  return exposure.beginMjdTai + exposure.exposureTimeSeconds / 86_400;
}

/** Upstream's exposure id for LSST cameras: day_obs followed by the 5-digit sequence number. */
export function lsstExposureId(exposure: ExposureDescription): number {
  return Number(`${exposure.dayObs}${String(exposure.seqNum).padStart(5, '0')}`);
}
