// The registry the service builds pipelines with: every task any shipped pipeline names, with the
// implementations that exist today. Others register theirs later through `implement`.

import { TaskRegistry } from '../engine/task-registry';
import {
  associateApdbTask,
  detectAndMeasureDiaSourcesTask,
  getTemplateTask,
  isrTask,
  loadDiaCatalogsTask,
  subtractBackgroundTask,
  subtractImagesTask,
} from './declared-tasks';
import { detectAndMeasureTask, runDetectAndMeasure } from './detect-and-measure';
import { fitAstrometryTask, runFitAstrometry } from './fit-astrometry';
import { measurePsfTask, runMeasurePsf } from './measure-psf';

export function defaultTaskRegistry(): TaskRegistry {
  const registry = new TaskRegistry();
  registry.declare(measurePsfTask, runMeasurePsf);
  registry.declare(detectAndMeasureTask, runDetectAndMeasure);
  registry.declare(fitAstrometryTask, runFitAstrometry);
  // Declared only: implementations arrive through registry.implement (see declared-tasks.ts).
  registry.declare(isrTask);
  registry.declare(subtractBackgroundTask);
  registry.declare(loadDiaCatalogsTask);
  registry.declare(getTemplateTask);
  registry.declare(subtractImagesTask);
  registry.declare(detectAndMeasureDiaSourcesTask);
  registry.declare(associateApdbTask);
  return registry;
}
