// The `isr` pipeline task: the raw dataset and the master calibrations (bias, optional dark, flat,
// optional defects) in, the post-ISR exposure out. The pixel work is runIsr's; this only maps
// datasets to its inputs.

import type { Exposure } from '../../../domain/image/exposure';
import { optionalInput, requiredInput, type TaskRun } from '../../engine/task';
import { CalibrationError, type IsrCalibrations } from './calibrations';
import { runIsr } from './isr';
import type { IsrConfig } from './isr-config';

export const runIsrTask: TaskRun<IsrConfig> = (inputs, config) => {
  const { raw, metadata, info } = requiredInput(inputs, 'ccdExposure', 'Raw');
  const bias = requiredInput(inputs, 'bias', 'Exposure');
  const dark = optionalInput(inputs, 'dark', 'Exposure');
  const flat = requiredInput(inputs, 'flat', 'Exposure');
  const defects = optionalInput(inputs, 'defects', 'Defects');
  const { geometry } = raw;
  for (const [what, calibration] of [
    ['bias', bias],
    ['dark', dark],
    ['flat', flat],
  ] as const) {
    if (calibration !== undefined) checkShape(calibration, geometry.width, geometry.height, what);
  }
  const calibrations: IsrCalibrations = {
    bias: bias.image,
    flat: flat.image,
    ...(dark ? { dark: dark.image } : {}),
    ...(defects ? { defects: defects.boxes } : {}),
  };
  const result = runIsr({ raw, calibrations, darkTimeSeconds: info.darkTimeSeconds, metadata, info }, config);
  return { outputExposure: result.exposure };
};

function checkShape(calibration: Exposure, width: number, height: number, what: string): void {
  if (calibration.width !== width || calibration.height !== height) {
    throw new CalibrationError(
      `the master ${what} is ${calibration.width}×${calibration.height} but the detector is ${width}×${height}: certify the ${what} made for this detector`,
    );
  }
}
