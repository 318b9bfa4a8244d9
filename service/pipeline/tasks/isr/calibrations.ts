// The calibration products ISR applies, as detector-sized typed arrays, and how to take them from a
// FITS file (a float image of the detector's assembled size, as tester/synthetic writes them).

import type { Box } from '../../../domain/camera-geometry/box';
import type { DetectorGeometry } from '../../../domain/camera-geometry/detector-geometry';
import { type FitsFile, physicalPixels } from '../../../domain/fits';

export interface IsrCalibrations {
  /** Master bias: residual bias after overscan subtraction, electrons. */
  readonly bias?: Float32Array;
  /** Master dark: dark current, electrons per second. */
  readonly dark?: Float32Array;
  /** Master flat: relative response, mean ≈ 1. */
  readonly flat?: Float32Array;
  /** Known bad regions (hot columns, dead pixels), in detector pixels. */
  readonly defects?: readonly Box[];
}

/** The `defects` calibration dataset (storage class `Defects`): boxes in detector pixels. */
export interface Defects {
  readonly boxes: readonly Box[];
}

export class CalibrationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CalibrationError';
  }
}

/** The first image HDU with pixels, checked to be the detector's size, as float32. */
export function calibrationImage(file: FitsFile, geometry: DetectorGeometry, what: string): Float32Array {
  const hdu = file.hdus.find((h) => h.kind === 'image' && h.axes.length === 2);
  if (hdu === undefined || hdu.kind !== 'image') throw new CalibrationError(`${what} has no 2-D image HDU`);
  const [width, height] = hdu.axes;
  if (width !== geometry.width || height !== geometry.height) {
    throw new CalibrationError(
      `${what} is ${width}×${height} but ${geometry.instrument} ${geometry.detector.name} is ${geometry.width}×${geometry.height}: use the calibration made for this detector`,
    );
  }
  const pixels = physicalPixels(hdu);
  if (pixels instanceof Float32Array) return pixels;
  if (pixels instanceof BigInt64Array || pixels instanceof BigUint64Array) {
    throw new CalibrationError(`${what} has 64-bit integer pixels: write calibrations as float images`);
  }
  return Float32Array.from(pixels);
}

export function checkCalibrationSize(
  pixels: Float32Array | undefined,
  geometry: DetectorGeometry,
  what: string,
): void {
  if (pixels !== undefined && pixels.length !== geometry.width * geometry.height) {
    throw new CalibrationError(
      `${what} has ${pixels.length} pixels but ${geometry.detector.name} has ${geometry.width}×${geometry.height}`,
    );
  }
}
