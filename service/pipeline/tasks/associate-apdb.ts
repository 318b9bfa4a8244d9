// associateApdb: association, forced photometry, the APDB transaction and the alerts of one
// (visit, detector). It needs the APDB, a publisher and the alert topic, so the service implements it
// with `implementAssociateApdb(registry, dependencies)` once it has them; until then ApPipe reports the
// task unimplemented and the service falls back.

import { z } from 'zod';
import type { Row } from '../../alerts/alert-packet';
import { associateVisitDetector, type DiaDependencies } from '../../dia/associate-visit-detector';
import type { CurrentDiaObject } from '../../domain/apdb/apdb-records';
import { BANDS, type Band } from '../../domain/apdb/apdb-tables';
import { isDiaSourceTable } from '../../domain/diffim/dia-source-table';
import type { Header } from '../../domain/fits';
import { optionalInput, requiredInput, type TaskDeclaration, type TaskRun } from '../engine/task';
import type { TaskRegistry } from '../engine/task-registry';

export const associateApdbConfig = z.strictObject({
  /** Association radius, arcseconds. */
  radiusArcsec: z.number().positive().default(1),
  /** How far back DiaSource/DiaForcedSource history is read for alerts, days. */
  historyDays: z.number().positive().default(365),
});

export type AssociateApdbConfig = z.infer<typeof associateApdbConfig>;

export class AssociationInputError extends Error {
  override readonly name = 'AssociationInputError';
}

export const associateApdbTask: TaskDeclaration<AssociateApdbConfig> = {
  name: 'associateApdb',
  summary:
    'Associate DiaSources with DiaObjects, forced-photometer known objects, store in the APDB, send alerts',
  config: associateApdbConfig,
  inputs: {
    diaSources: { storageClass: 'DataFrame' },
    preloadedDiaObjects: { storageClass: 'DataFrame', optional: true },
    preloadedDiaSources: { storageClass: 'DataFrame', optional: true },
    preloadedDiaForcedSources: { storageClass: 'DataFrame', optional: true },
    exposure: { storageClass: 'Exposure' },
    difference: { storageClass: 'Exposure' },
    matchedTemplate: { storageClass: 'Exposure' },
    psf: { storageClass: 'Psf' },
    sciencePsf: { storageClass: 'Psf' },
    astrometry: { storageClass: 'AstrometricSolution' },
  },
  outputs: {
    apdbMarker: { storageClass: 'ApdbMarker' },
    associatedDiaSources: { storageClass: 'DataFrame' },
  },
};

export function associateApdbRun(dependencies: DiaDependencies): TaskRun<AssociateApdbConfig> {
  return async (inputs, config, context) => {
    const diaSources = inputs.get('diaSources');
    if (!isDiaSourceTable(diaSources))
      throw new AssociationInputError('diaSources is not a DiaSource table from detectAndMeasureDiaSources');
    const exposure = requiredInput(inputs, 'exposure', 'Exposure');
    const { visit, detector } = context.dataId;
    if (visit === undefined || typeof detector !== 'number') {
      throw new AssociationInputError('the data ID needs a visit and a numeric detector to store DiaSources');
    }
    const preloaded = optionalInput(inputs, 'preloadedDiaObjects', 'DataFrame');
    const preloadedSources = optionalInput(inputs, 'preloadedDiaSources', 'DataFrame');
    const preloadedForced = optionalInput(inputs, 'preloadedDiaForcedSources', 'DataFrame');
    const result = await associateVisitDetector(
      { ...dependencies, radiusArcsec: config.radiusArcsec, historyDays: config.historyDays },
      {
        visit: BigInt(visit),
        detector,
        band: bandOf(context.dataId.band, exposure.metadata),
        midpointMjdTai: midpointMjdTai(exposure.metadata),
        diaSources,
        difference: requiredInput(inputs, 'difference', 'Exposure'),
        science: exposure,
        matchedTemplate: requiredInput(inputs, 'matchedTemplate', 'Exposure'),
        differencePsf: requiredInput(inputs, 'psf', 'Psf'),
        sciencePsf: requiredInput(inputs, 'sciencePsf', 'Psf'),
        wcs: requiredInput(inputs, 'astrometry', 'AstrometricSolution').wcs,
        ...(preloaded ? { preloadedObjects: preloadedObjects(preloaded) } : {}),
        ...(preloadedSources ? { preloadedDiaSources: preloadedRows(preloadedSources, 'diaSources') } : {}),
        ...(preloadedForced
          ? { preloadedDiaForcedSources: preloadedRows(preloadedForced, 'diaForcedSources') }
          : {}),
      },
      context.signal,
    );
    return { apdbMarker: { ...result }, associatedDiaSources: diaSources };
  };
}

export function implementAssociateApdb(registry: TaskRegistry, dependencies: DiaDependencies): void {
  registry.implement(associateApdbTask, associateApdbRun(dependencies));
}

/** The exposure midpoint, TAI MJD: MJD-AVG, or MJD-BEG plus half of EXPTIME. */
export function midpointMjdTai(header: Header): number {
  const average = header.number('MJD-AVG');
  if (average !== undefined) return average;
  const begin = header.number('MJD-BEG');
  const exposureTime = header.number('EXPTIME');
  if (begin === undefined) {
    throw new AssociationInputError(
      'the exposure header has neither MJD-AVG nor MJD-BEG: DiaSources need the visit time',
    );
  }
  return begin + (exposureTime ?? 0) / 2 / 86400;
}

function bandOf(fromDataId: string | number | undefined, header: Header): Band {
  const band =
    typeof fromDataId === 'string'
      ? fromDataId
      : (header.string('BAND') ?? header.string('FILTER')?.charAt(0));
  if (band === undefined || !(BANDS as readonly string[]).includes(band)) {
    throw new AssociationInputError(
      `band ${band ?? '(none)'} is not one of ${BANDS.join(', ')}: give it in the data ID`,
    );
  }
  return band as Band;
}

function preloadedObjects(frame: object): readonly CurrentDiaObject[] {
  const objects = Array.isArray(frame) ? frame : 'diaObjects' in frame ? frame.diaObjects : undefined;
  if (!Array.isArray(objects)) {
    throw new AssociationInputError(
      'preloaded DiaObjects must be an array of DiaObjectLast rows or { diaObjects: [...] }',
    );
  }
  return objects as CurrentDiaObject[];
}

/** The rows of a preloaded_dia_sources / preloaded_dia_forced_sources frame (loadDiaCatalogs' output). */
function preloadedRows(frame: object, column: 'diaSources' | 'diaForcedSources'): readonly Row[] {
  const rows = Array.isArray(frame)
    ? frame
    : column in frame
      ? (frame as Record<string, unknown>)[column]
      : undefined;
  if (!Array.isArray(rows)) {
    throw new AssociationInputError(
      `preloaded ${column} must be an array of APDB rows or { ${column}: [...] }`,
    );
  }
  return rows as Row[];
}
