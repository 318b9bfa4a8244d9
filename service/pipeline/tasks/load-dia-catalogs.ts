// loadDiaCatalogs: the preprocessing task that reads the APDB's DiaObjects of the detector's padded
// region (from region_time_info, which the activator writes) and their recent DiaSources and
// DiaForcedSources, as preloaded_dia_* datasets for associateApdb. It needs the APDB, so the service
// implements it with `implementLoadDiaCatalogs(registry, { apdb })`, like associateApdb.

import { z } from 'zod';
import type { Apdb } from '../../apdb/apdb';
import { loadDiaCatalogs } from '../../dia/load-dia-catalogs';
import { checkSkyCircle, type SkyCircle } from '../../domain/sky/sky-circle';
import { taiMjdFromUtc } from '../../domain/tai';
import { requiredInput, type TaskDeclaration, type TaskRun } from '../engine/task';
import type { TaskRegistry } from '../engine/task-registry';

export const loadDiaCatalogsConfig = z.strictObject({
  /** How far back before the visit DiaSources and DiaForcedSources are read, days (upstream: 12 months). */
  historyDays: z.number().positive().default(365),
});

export type LoadDiaCatalogsConfig = z.infer<typeof loadDiaCatalogsConfig>;

export class RegionTimeError extends Error {
  override readonly name = 'RegionTimeError';
}

export const loadDiaCatalogsTask: TaskDeclaration<LoadDiaCatalogsConfig> = {
  name: 'loadDiaCatalogs',
  summary: "Preload the APDB's DiaObjects, DiaSources and DiaForcedSources in the detector's region",
  config: loadDiaCatalogsConfig,
  inputs: { regionTime: { storageClass: 'DataFrame' } },
  outputs: {
    diaObjects: { storageClass: 'DataFrame' },
    diaSources: { storageClass: 'DataFrame' },
    diaForcedSources: { storageClass: 'DataFrame' },
  },
};

export interface LoadDiaCatalogsDependencies {
  readonly apdb: Pick<Apdb, 'readDiaObjectsInRegion' | 'readDiaSourceHistory' | 'readDiaForcedSourceHistory'>;
}

export function loadDiaCatalogsRun(
  dependencies: LoadDiaCatalogsDependencies,
): TaskRun<LoadDiaCatalogsConfig> {
  return async (inputs, config) => {
    const { region, beginMjdTai } = regionTime(requiredInput(inputs, 'regionTime', 'DataFrame'));
    const catalogs = await loadDiaCatalogs(dependencies.apdb, region, beginMjdTai - config.historyDays);
    const common = { region: catalogs.region, sinceMjdTai: catalogs.sinceMjdTai };
    return {
      diaObjects: { ...common, diaObjects: catalogs.diaObjects },
      diaSources: { ...common, diaSources: catalogs.diaSources },
      diaForcedSources: { ...common, diaForcedSources: catalogs.diaForcedSources },
    };
  };
}

export function implementLoadDiaCatalogs(
  registry: TaskRegistry,
  dependencies: LoadDiaCatalogsDependencies,
): void {
  registry.implement(loadDiaCatalogsTask, loadDiaCatalogsRun(dependencies));
}

/** The region and start time of region_time_info ({ region, timespanBegin (UTC ISO), timespanEnd }). */
function regionTime(frame: object): { region: SkyCircle; beginMjdTai: number } {
  const { region, timespanBegin } = frame as { region?: SkyCircle | null; timespanBegin?: unknown };
  if (!region) {
    throw new RegionTimeError(
      'region_time_info has no region (the visit is not in ICRS): nothing to preload, association reads the APDB itself',
    );
  }
  const begin = typeof timespanBegin === 'string' ? Date.parse(timespanBegin) : Number.NaN;
  if (!Number.isFinite(begin)) {
    throw new RegionTimeError(`region_time_info's timespanBegin ${String(timespanBegin)} is not an ISO time`);
  }
  return { region: checkSkyCircle(region), beginMjdTai: taiMjdFromUtc(begin / 1000) };
}
