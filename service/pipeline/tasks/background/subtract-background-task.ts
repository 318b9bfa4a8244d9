// The `subtractBackground` pipeline task: estimates the background of the post-ISR exposure and
// returns a new exposure with it subtracted, plus the background itself. The input dataset is left
// untouched (it is already written to the run); variance and mask planes are shared, not copied.

import { requiredInput, type TaskRun } from '../../engine/task';
import { estimateBackground } from './background';
import type { BackgroundConfig } from './background-config';

export const runSubtractBackgroundTask: TaskRun<BackgroundConfig> = (inputs, config) => {
  const exposure = requiredInput(inputs, 'exposure', 'Exposure');
  const background = estimateBackground(exposure, config);
  const source = exposure.image;
  const level = background.image;
  const image = new Float32Array(source.length);
  for (let i = 0; i < image.length; i++) image[i] = (source[i] as number) - (level[i] as number);
  return { exposure: { ...exposure, image }, background };
};
