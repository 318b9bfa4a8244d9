// The registry the service builds pipelines with: every task any shipped pipeline names, with the
// implementations that exist today. Others register theirs later through `implement`.

import { TaskRegistry } from '../engine/task-registry';
import { associateApdbTask } from './associate-apdb';
import { isrTask, loadDiaCatalogsTask, subtractBackgroundTask } from './declared-tasks';
import { detectAndMeasureTask, runDetectAndMeasure } from './detect-and-measure';
import { detectAndMeasureDiaSourcesTask, runDetectDiaSources } from './detect-dia-sources';
import { fitAstrometryTask, runFitAstrometry } from './fit-astrometry';
import { getTemplateTask, runGetTemplate } from './get-template';
import { measurePsfTask, runMeasurePsf } from './measure-psf';
import { runSubtractImages, subtractImagesTask } from './subtract-images';

export function defaultTaskRegistry(): TaskRegistry {
  const registry = new TaskRegistry();
  registry.declare(measurePsfTask, runMeasurePsf);
  registry.declare(detectAndMeasureTask, runDetectAndMeasure);
  registry.declare(fitAstrometryTask, runFitAstrometry);
  registry.declare(getTemplateTask, runGetTemplate);
  registry.declare(subtractImagesTask, runSubtractImages);
  registry.declare(detectAndMeasureDiaSourcesTask, runDetectDiaSources);
  // Declared only: implementations arrive through registry.implement (see declared-tasks.ts, and
  // implementAssociateApdb in associate-apdb.ts, which needs the APDB and the alert publisher).
  registry.declare(isrTask);
  registry.declare(subtractBackgroundTask);
  registry.declare(loadDiaCatalogsTask);
  registry.declare(associateApdbTask);
  return registry;
}
