// The registry the service builds pipelines with: every task any shipped pipeline names, with the
// implementations that exist today. ISR and background are declared in declared-tasks.ts and
// implemented here through `implement`, which checks the implementation keeps the declared connections.

import { TaskRegistry } from '../engine/task-registry';
import { runSubtractBackgroundTask } from './background/subtract-background-task';
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
import { runIsrTask } from './isr/isr-task';
import { measurePsfTask, runMeasurePsf } from './measure-psf';

export function defaultTaskRegistry(): TaskRegistry {
  const registry = new TaskRegistry();
  registry.declare(measurePsfTask, runMeasurePsf);
  registry.declare(detectAndMeasureTask, runDetectAndMeasure);
  registry.declare(fitAstrometryTask, runFitAstrometry);
  registry.declare(isrTask);
  registry.implement(isrTask, runIsrTask);
  registry.declare(subtractBackgroundTask);
  registry.implement(subtractBackgroundTask, runSubtractBackgroundTask);
  // Declared only: implementations arrive through registry.implement (see declared-tasks.ts).
  registry.declare(loadDiaCatalogsTask);
  registry.declare(getTemplateTask);
  registry.declare(subtractImagesTask);
  registry.declare(detectAndMeasureDiaSourcesTask);
  registry.declare(associateApdbTask);
  return registry;
}
