// The DIA half's storage and alert step for one (visit, detector): association of the DiaSources
// with the DiaObjects of the detector's region, forced photometry of the known objects, one APDB
// transaction for all of it, then one alert per DiaSource (history from the APDB, FITS cutouts) on the
// instrument's alert topic. A visit-detector the APDB already holds is not processed again: its
// catalogs are final and its alerts went out (upstream's containsVisitDetector rule).

import type { Row } from '../alerts/alert-packet';
import { type AlertSchema, loadAlertSchema } from '../alerts/alert-schema';
import type { Apdb } from '../apdb/apdb';
import type { CurrentDiaObject, DiaObjectRecord } from '../domain/apdb/apdb-records';
import type { Band } from '../domain/apdb/apdb-tables';
import { associateDiaSources } from '../domain/dia/associate-dia-sources';
import { diaIdPacker } from '../domain/dia/dia-ids';
import { forcedPhotometry } from '../domain/dia/forced-photometry';
import type { DiaSourceTable } from '../domain/diffim/dia-source-table';
import type { MaskedImage } from '../domain/image/masked-image';
import type { GaussianPsf } from '../domain/measurement/psf-model';
import type { SkyCircle } from '../domain/sky/sky-circle';
import { pixelToSky, separationArcsec, type TanWcs } from '../domain/wcs/tan-wcs';
import type { EventPublisher } from '../ports/event-publisher';
import { packageAlerts } from './package-alerts';
import { publishAlerts } from './publish-alerts';

export interface DiaVisitDetector {
  readonly visit: bigint;
  readonly detector: number;
  readonly band: Band;
  /** TAI MJD of the exposure midpoint: the DiaSources' time and the new DiaObject versions' start. */
  readonly midpointMjdTai: number;
  readonly diaSources: DiaSourceTable;
  readonly difference: MaskedImage;
  readonly science: MaskedImage;
  readonly matchedTemplate: MaskedImage;
  readonly differencePsf: GaussianPsf;
  readonly sciencePsf: GaussianPsf;
  readonly wcs: TanWcs;
  /** DiaObjects the service preloaded for the region; read from the APDB when absent. */
  readonly preloadedObjects?: readonly CurrentDiaObject[];
  /**
   * The preloaded objects' DiaSources and DiaForcedSources (loadDiaCatalogs): used, with the history
   * window applied, instead of reading the APDB. Only with `preloadedObjects`.
   */
  readonly preloadedDiaSources?: readonly Row[];
  readonly preloadedDiaForcedSources?: readonly Row[];
}

export interface DiaDependencies {
  readonly apdb: Apdb;
  readonly publisher: EventPublisher;
  readonly alertTopic: string;
  /** Current TAI MJD (timeProcessedMjdTai). */
  readonly nowMjdTai: () => number;
  readonly alertSchema?: AlertSchema;
  /** @default 1 */
  readonly radiusArcsec?: number;
  /** History read window, days. @default 365 */
  readonly historyDays?: number;
}

export interface DiaVisitResult {
  /** false when the APDB already held this visit-detector: nothing stored, no alerts. */
  readonly stored: boolean;
  readonly diaSources: number;
  readonly diaForcedSources: number;
  readonly diaObjects: number;
  readonly matched: number;
  readonly created: number;
  readonly alerts: number;
}

const SKIPPED: DiaVisitResult = {
  stored: false,
  diaSources: 0,
  diaForcedSources: 0,
  diaObjects: 0,
  matched: 0,
  created: 0,
  alerts: 0,
};

export async function associateVisitDetector(
  deps: DiaDependencies,
  input: DiaVisitDetector,
  signal?: AbortSignal,
): Promise<DiaVisitResult> {
  const { apdb } = deps;
  if (await apdb.containsVisitDetector(input.visit, input.detector)) return SKIPPED;
  const since = input.midpointMjdTai - (deps.historyDays ?? 365);
  const preloaded = input.preloadedObjects;
  const objects = preloaded ?? (await apdb.readDiaObjectsInRegion(detectorCircle(input)));
  const history =
    preloaded && input.preloadedDiaSources
      ? withinWindow(input.preloadedDiaSources, since)
      : await apdb.readDiaSourceHistory(
          objects.map((o) => o.diaObjectId),
          since,
        );
  const idOf = diaIdPacker(input.visit, input.detector);
  const association = associateDiaSources({
    band: input.band,
    midpointMjdTai: input.midpointMjdTai,
    diaSources: input.diaSources,
    diaSourceIds: Array.from({ length: input.diaSources.count }, (_, i) => idOf(i)),
    objects,
    history: history as unknown as Parameters<typeof associateDiaSources>[0]['history'],
    radiusArcsec: deps.radiusArcsec ?? 1,
  });
  const forced = forcedPhotometry({
    objects: forcedTargets(objects, association.diaObjects),
    difference: input.difference,
    science: input.science,
    differencePsf: input.differencePsf,
    sciencePsf: input.sciencePsf,
    wcs: input.wcs,
    band: input.band,
    midpointMjdTai: input.midpointMjdTai,
    idOf: (n) => idOf(input.diaSources.count + n),
  });
  const touched = association.diaObjects.map((o) => o.diaObjectId);
  const forcedHistory =
    preloaded && input.preloadedDiaForcedSources
      ? ofObjects(withinWindow(input.preloadedDiaForcedSources, since), touched)
      : await apdb.readDiaForcedSourceHistory(touched, since);
  const processedMjdTai = deps.nowMjdTai();
  const result = await apdb.store({
    visit: input.visit,
    detector: input.detector,
    visitTimeMjdTai: input.midpointMjdTai,
    processedMjdTai,
    diaSources: association.diaSources,
    diaForcedSources: forced,
    diaObjects: association.diaObjects,
  });
  if (!result.stored) return SKIPPED;
  const messages = packageAlerts(deps.alertSchema ?? loadAlertSchema(), {
    visit: input.visit,
    detector: input.detector,
    midpointMjdTai: input.midpointMjdTai,
    processedMjdTai,
    difference: input.difference,
    science: input.science,
    matchedTemplate: input.matchedTemplate,
    wcs: input.wcs,
    diaSources: association.diaSources,
    diaObjects: association.diaObjects,
    history,
    forcedHistory,
  });
  await publishAlerts(deps.publisher, deps.alertTopic, messages, signal);
  return {
    stored: true,
    diaSources: result.diaSources,
    diaForcedSources: result.diaForcedSources,
    diaObjects: result.diaObjects,
    matched: association.matched,
    created: association.created,
    alerts: messages.length,
  };
}

/** A circle holding the whole detector: centre pixel's sky position, radius to the farthest corner. */
export function detectorCircle(input: Pick<DiaVisitDetector, 'wcs' | 'difference'>): SkyCircle {
  const { width, height } = input.difference;
  const centre = pixelToSky(input.wcs, (width - 1) / 2, (height - 1) / 2);
  let radius = 0;
  for (const [x, y] of [
    [0, 0],
    [width - 1, 0],
    [0, height - 1],
    [width - 1, height - 1],
  ] as const) {
    radius = Math.max(radius, separationArcsec(centre, pixelToSky(input.wcs, x, y)));
  }
  return { raDeg: centre.ra, decDeg: centre.dec, radiusDeg: (radius + 2) / 3600 };
}

/** Every known object of the region at its latest position, plus the new ones: one forced source each. */
function forcedTargets(objects: readonly CurrentDiaObject[], versions: readonly DiaObjectRecord[]) {
  const byId = new Map<bigint, { diaObjectId: bigint; ra: number; dec: number }>();
  for (const o of objects) byId.set(o.diaObjectId, o);
  for (const v of versions) byId.set(v.diaObjectId, v);
  return [...byId.values()].sort((a, b) =>
    a.diaObjectId < b.diaObjectId ? -1 : a.diaObjectId > b.diaObjectId ? 1 : 0,
  );
}

/** Rows at or after the history window's start. */
function withinWindow(rows: readonly Row[], sinceMjdTai: number): Row[] {
  return rows.filter((row) => Number(row.midpointMjdTai) >= sinceMjdTai);
}

function ofObjects(rows: readonly Row[], diaObjectIds: readonly bigint[]): Row[] {
  const wanted = new Set(diaObjectIds);
  return rows.filter((row) => wanted.has(row.diaObjectId as bigint));
}
