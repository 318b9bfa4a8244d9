// Instrument signature removal for one detector: per amp, fit the overscan and assemble the imaging
// section (overscan subtracted, gain applied, saturation flagged) in one pass; then the master bias,
// the variance plane, the master dark and the flat in a second pass; then the defects. Pure: a raw
// and calibrations in, a new exposure in electrons out.

import type { RawDetector } from '../../../domain/camera-geometry/raw-detector';
import { Header } from '../../../domain/fits';
import type { ExposureInfo } from '../../../domain/image/exposure';
import { MaskBit } from '../../../domain/image/mask-bits';
import { runAmpAssemblyJob } from './amp-assembly-job';
import { checkCalibrationSize, type IsrCalibrations } from './calibrations';
import { DEFAULT_ISR_CONFIG, type IsrConfig } from './isr-config';
import { applyCalibrations, interpolateOverBoxes, maskBoxes } from './pixel-corrections';
import type { AmpIsrStatistics, IsrResult } from './post-isr-exposure';

export interface IsrInputs {
  readonly raw: RawDetector;
  readonly calibrations?: IsrCalibrations;
  /** Dark time of the exposure (for the dark); 0 skips the dark. */
  readonly darkTimeSeconds?: number;
  /** The raw's primary header and observation facts, carried onto the exposure. */
  readonly metadata?: Header;
  readonly info?: ExposureInfo;
}

export function runIsr(inputs: IsrInputs, config: IsrConfig = DEFAULT_ISR_CONFIG): IsrResult {
  checkCalibrations(inputs);
  return finishIsr(inputs, assembleWithOverscan(inputs.raw, config), config);
}

/** Fails before any pixel work when a calibration does not fit the detector. */
export function checkCalibrations(inputs: IsrInputs): void {
  const calibrations = inputs.calibrations ?? {};
  for (const kind of ['bias', 'dark', 'flat'] as const) {
    checkCalibrationSize(calibrations[kind], inputs.raw.geometry, `the master ${kind}`);
  }
}

/** The whole-detector steps after assembly: bias, variance, dark and flat in one pass, then defects. */
export function finishIsr(
  inputs: IsrInputs,
  assembled: AssembledAmps,
  config: IsrConfig = DEFAULT_ISR_CONFIG,
): IsrResult {
  checkCalibrations(inputs);
  const { raw, calibrations = {} } = inputs;
  const { geometry } = raw;
  const { image, mask, amps } = assembled;
  const { width, height } = geometry;
  const variance = new Float32Array(width * height);
  applyCalibrations(image, config.doVariance ? variance : undefined, mask, geometry, {
    ...(config.doBias && calibrations.bias ? { bias: calibrations.bias } : {}),
    ...(config.doDark && calibrations.dark
      ? { dark: calibrations.dark, darkTimeSeconds: inputs.darkTimeSeconds ?? 0 }
      : {}),
    ...(config.doFlat && calibrations.flat ? { flat: calibrations.flat } : {}),
  });
  if (config.doDefects && calibrations.defects) {
    maskBoxes(mask, width, height, calibrations.defects, MaskBit.BAD);
    if (config.doInterpolate)
      interpolateOverBoxes(
        image,
        config.doVariance ? variance : undefined,
        mask,
        width,
        height,
        calibrations.defects,
      );
  }
  return {
    exposure: {
      width,
      height,
      image,
      variance,
      mask,
      metadata: inputs.metadata ?? new Header(),
      ...(inputs.info ? { info: inputs.info } : {}),
    },
    amps,
  };
}

export interface AssembledAmps {
  readonly image: Float32Array;
  readonly mask: Uint16Array;
  readonly amps: AmpIsrStatistics[];
}

/** Overscan fit and subtraction, trim and assembly, gain and saturation flags: the per-amp part of ISR. */
export function assembleWithOverscan(
  raw: RawDetector,
  config: IsrConfig = DEFAULT_ISR_CONFIG,
): AssembledAmps {
  const { geometry } = raw;
  const image = new Float32Array(geometry.width * geometry.height);
  const mask = new Uint16Array(image.length);
  const ampIndices = geometry.amps.map((_, i) => i);
  const amps = runAmpAssemblyJob({ geometry, config, ampIndices, images: raw.images, image, mask });
  return { image, mask, amps };
}
