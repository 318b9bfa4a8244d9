// The registry the service builds pipelines with: every task any shipped pipeline names, with the
// implementations that exist today. ISR and background are declared in declared-tasks.ts and
// implemented here through `implement`, which checks the implementation keeps the declared connections.

import { TaskRegistry } from '../engine/task-registry';
import { associateApdbTask } from './associate-apdb';
import { runSubtractBackgroundTask } from './background/subtract-background-task';
import { combineSnapsTask, runCombineSnaps } from './combine-snaps';
import { isrTask, subtractBackgroundTask } from './declared-tasks';
import { detectAndMeasureTask, runDetectAndMeasure } from './detect-and-measure';
import { detectAndMeasureDiaSourcesTask, runDetectDiaSources } from './detect-dia-sources';
import { fitAstrometryTask, runFitAstrometry } from './fit-astrometry';
import { getTemplateTask, runGetTemplate } from './get-template';
import { runIsrTask } from './isr/isr-task';
import { loadDiaCatalogsTask } from './load-dia-catalogs';
import { measurePsfTask, runMeasurePsf } from './measure-psf';
import { runSubtractImages, subtractImagesTask } from './subtract-images';

export function defaultTaskRegistry(): TaskRegistry {
  const registry = new TaskRegistry();
  registry.declare(combineSnapsTask, runCombineSnaps);
  registry.declare(measurePsfTask, runMeasurePsf);
  registry.declare(detectAndMeasureTask, runDetectAndMeasure);
  registry.declare(fitAstrometryTask, runFitAstrometry);
  registry.declare(getTemplateTask, runGetTemplate);
  registry.declare(subtractImagesTask, runSubtractImages);
  registry.declare(detectAndMeasureDiaSourcesTask, runDetectDiaSources);
  registry.declare(isrTask);
  registry.implement(isrTask, runIsrTask);
  registry.declare(subtractBackgroundTask);
  registry.implement(subtractBackgroundTask, runSubtractBackgroundTask);
  // Declared only: implementations arrive through registry.implement once the service has what they
  // need (implementLoadDiaCatalogs: the APDB; implementAssociateApdb: the APDB and the alert publisher).
  registry.declare(loadDiaCatalogsTask);
  registry.declare(associateApdbTask);
  return registry;
}
