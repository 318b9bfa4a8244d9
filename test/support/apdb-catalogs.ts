// Synthetic association output for APDB tests and bench:apdb: DiaSources scattered over a detector-
// sized patch of sky, one DiaObject each (new, or a new version of a given one), 64-bit ids above
// 2^53 so any lossy conversion shows.
import type {
  DiaObjectRecord,
  DiaSourceRecord,
  VisitDetectorCatalogs,
} from '../../service/domain/apdb/apdb-records';
import { seededUniform } from '../../service/domain/synthetic/random';

export interface CatalogOptions {
  readonly visit: bigint;
  readonly detector: number;
  readonly count: number;
  readonly raDeg?: number;
  readonly decDeg?: number;
  /** Half-width of the square the sources fall in, degrees. */
  readonly halfWidthDeg?: number;
  readonly visitTimeMjdTai?: number;
  /** Objects to update instead of creating new ones (first sources get these ids). */
  readonly existingObjectIds?: readonly bigint[];
  readonly seed?: number;
}

export function sourceId(visit: bigint, detector: number, i: number): bigint {
  return visit * 1_000_000n + BigInt(detector * 10_000 + i);
}

export function makeCatalogs(options: CatalogOptions): VisitDetectorCatalogs {
  const next = seededUniform(options.seed ?? options.detector + 1);
  const ra0 = options.raDeg ?? 149.28;
  const dec0 = options.decDeg ?? 2.93;
  const half = options.halfWidthDeg ?? 0.11;
  const time = options.visitTimeMjdTai ?? 61007.1;
  const existing = options.existingObjectIds ?? [];
  const diaSources: DiaSourceRecord[] = [];
  const diaObjects: DiaObjectRecord[] = [];
  for (let i = 0; i < options.count; i++) {
    const diaSourceId = sourceId(options.visit, options.detector, i);
    const diaObjectId = existing[i] ?? diaSourceId;
    const ra = ra0 + (2 * next() - 1) * half;
    const dec = dec0 + (2 * next() - 1) * half;
    const flux = 1000 + 500 * next();
    diaSources.push({
      diaSourceId,
      diaObjectId,
      midpointMjdTai: time,
      ra,
      dec,
      raErr: 1e-5,
      decErr: 1e-5,
      x: 4000 * next(),
      y: 4000 * next(),
      psfFlux: flux,
      psfFluxErr: 30,
      snr: flux / 30,
      psfNdata: 49,
      band: 'r',
      bboxSize: 15,
      isDipole: false,
    });
    diaObjects.push({
      diaObjectId,
      ra,
      dec,
      raErr: 1e-5,
      decErr: 1e-5,
      nDiaSources: i < existing.length ? 2 : 1,
      firstDiaSourceMjdTai: time,
      lastDiaSourceMjdTai: time,
      psfFlux: { r: { mean: flux, meanErr: 30, ndata: 1 } },
    });
  }
  return {
    visit: options.visit,
    detector: options.detector,
    visitTimeMjdTai: time,
    processedMjdTai: time + 0.001,
    diaSources,
    diaForcedSources: diaObjects.slice(0, Math.ceil(options.count / 4)).map((o, i) => ({
      diaForcedSourceId: sourceId(options.visit, options.detector, 5000 + i),
      diaObjectId: o.diaObjectId,
      ra: o.ra,
      dec: o.dec,
      midpointMjdTai: time,
      psfFlux: 12.5,
      psfFluxErr: 3,
      band: 'r',
    })),
    diaObjects,
  };
}
