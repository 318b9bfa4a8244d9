// Master calibrations as datasets: a calibration FITS file becomes an `Exposure` (upstream stores
// bias, dark and flat as ExposureF) and a defects list becomes `Defects`. Pure: parsed files in,
// dataset values out; reading the bytes is the caller's job.

import { z } from 'zod';
import type { DetectorGeometry } from '../../../domain/camera-geometry/detector-geometry';
import type { FitsFile } from '../../../domain/fits';
import type { Exposure } from '../../../domain/image/exposure';
import { CalibrationError, calibrationImage, type Defects } from './calibrations';

/** The calibration's pixels (checked to be the detector's size) with its header; no variance or mask. */
export function calibrationExposureFromFits(
  file: FitsFile,
  geometry: DetectorGeometry,
  what: string,
): Exposure {
  const image = calibrationImage(file, geometry, what);
  const hdu = file.hdus.find((h) => h.kind === 'image' && h.axes.length === 2);
  if (hdu === undefined) throw new CalibrationError(`${what} has no 2-D image HDU`);
  // Zero-filled planes cost no resident memory until written, and ISR never reads them.
  return {
    width: geometry.width,
    height: geometry.height,
    image,
    variance: new Float32Array(image.length),
    mask: new Uint16Array(image.length),
    metadata: hdu.header,
  };
}

const boxSchema = z.object({
  x0: z.number().int().min(0),
  y0: z.number().int().min(0),
  width: z.number().int().positive(),
  height: z.number().int().positive(),
});
/** Either plain boxes or the tester's defect records ({ box, kind, electrons }). */
const defectsSchema = z.array(z.union([boxSchema, z.object({ box: boxSchema }).loose()]));

/** A defects list (JSON text) as the `Defects` dataset, each box checked to lie on the detector. */
export function defectsFromJson(text: string, geometry: DetectorGeometry, what = 'the defects'): Defects {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new CalibrationError(`${what} is not JSON: ${(error as Error).message}`);
  }
  const result = defectsSchema.safeParse(parsed);
  if (!result.success) {
    throw new CalibrationError(
      `${what} is not a list of boxes {x0, y0, width, height}: ${result.error.issues[0]?.message ?? ''}`,
    );
  }
  const boxes = result.data.map((entry) => ('box' in entry ? entry.box : entry));
  for (const b of boxes) {
    if (b.x0 + b.width > geometry.width || b.y0 + b.height > geometry.height) {
      throw new CalibrationError(
        `${what}: box at (${b.x0}, ${b.y0}) of ${b.width}×${b.height} leaves the ${geometry.width}×${geometry.height} detector`,
      );
    }
  }
  return { boxes };
}
