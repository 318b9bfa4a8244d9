// Rows the association step hands to the APDB and gets back: 64-bit ids are bigint everywhere,
// positions in degrees, times as TAI MJD. Optional fields map to nullable columns.

import type { Band } from './apdb-tables';

export interface DiaSourceRecord {
  readonly diaSourceId: bigint;
  readonly diaObjectId?: bigint | null;
  readonly ssObjectId?: bigint | null;
  readonly parentDiaSourceId?: bigint | null;
  readonly midpointMjdTai: number;
  readonly ra: number;
  readonly dec: number;
  readonly raErr?: number | null;
  readonly decErr?: number | null;
  readonly x: number;
  readonly y: number;
  readonly xErr?: number | null;
  readonly yErr?: number | null;
  readonly apFlux?: number | null;
  readonly apFluxErr?: number | null;
  readonly psfFlux?: number | null;
  readonly psfFluxErr?: number | null;
  readonly scienceFlux?: number | null;
  readonly scienceFluxErr?: number | null;
  readonly templateFlux?: number | null;
  readonly templateFluxErr?: number | null;
  readonly snr?: number | null;
  readonly psfNdata?: number;
  readonly trailNdata?: number;
  readonly dipoleNdata?: number;
  readonly reliability?: number | null;
  readonly band?: Band | null;
  readonly isDipole?: boolean | null;
  readonly isNegative?: boolean | null;
  readonly bboxSize?: number;
  readonly pixelFlags_bad?: boolean | null;
  readonly pixelFlags_edge?: boolean | null;
  readonly pixelFlags_saturated?: boolean | null;
  readonly pixelFlags_cr?: boolean | null;
  readonly pixelFlags_suspect?: boolean | null;
}

export interface DiaForcedSourceRecord {
  readonly diaForcedSourceId: bigint;
  readonly diaObjectId: bigint;
  readonly ra: number;
  readonly dec: number;
  readonly midpointMjdTai: number;
  readonly psfFlux?: number | null;
  readonly psfFluxErr?: number | null;
  readonly scienceFlux?: number | null;
  readonly scienceFluxErr?: number | null;
  readonly band?: Band | null;
}

/** A DiaObject's new version, as association computed it for this visit. */
export interface DiaObjectRecord {
  readonly diaObjectId: bigint;
  readonly ra: number;
  readonly dec: number;
  readonly raErr?: number | null;
  readonly decErr?: number | null;
  readonly ra_dec_Cov?: number | null;
  readonly nDiaSources: number;
  readonly firstDiaSourceMjdTai?: number | null;
  readonly lastDiaSourceMjdTai?: number | null;
  /** Per-band PSF flux summary; bands left out get Ndata 0 and null means. */
  readonly psfFlux?: Partial<Record<Band, { mean: number | null; meanErr: number | null; ndata: number }>>;
}

/** What a region read returns: the DiaObjectLast columns. */
export interface CurrentDiaObject {
  readonly diaObjectId: bigint;
  readonly validityStartMjdTai: number;
  readonly ra: number;
  readonly dec: number;
  readonly raErr: number | null;
  readonly decErr: number | null;
  readonly nDiaSources: number;
  readonly firstDiaSourceMjdTai: number | null;
  readonly lastDiaSourceMjdTai: number | null;
  readonly pixelId: bigint;
}

/** Everything association produced for one (visit, detector), stored in one transaction. */
export interface VisitDetectorCatalogs {
  readonly visit: bigint;
  readonly detector: number;
  /** TAI MJD of the visit: closes the old DiaObject versions and starts the new ones. */
  readonly visitTimeMjdTai: number;
  /** TAI MJD the catalogs were processed at (timeProcessedMjdTai). */
  readonly processedMjdTai: number;
  readonly diaSources: readonly DiaSourceRecord[];
  readonly diaForcedSources: readonly DiaForcedSourceRecord[];
  readonly diaObjects: readonly DiaObjectRecord[];
}
