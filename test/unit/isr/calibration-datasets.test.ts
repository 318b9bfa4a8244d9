// Master calibrations read as datasets: a calibration FITS file as an Exposure, a defects list as
// Defects; bad files fail with a CalibrationError that says what is wrong.

import { describe, expect, it } from 'vitest';
import { imageHdu, readFits, writeFits } from '../../../service/domain/fits';
import {
  calibrationExposureFromFits,
  defectsFromJson,
} from '../../../service/pipeline/tasks/isr/calibration-datasets';
import { CalibrationError } from '../../../service/pipeline/tasks/isr/calibrations';
import { scaledDetector } from './scaled-detector';

const geometry = scaledDetector('R22_S11', 1);

describe('calibration datasets', () => {
  it('reads a float calibration image as an Exposure with its header', () => {
    const pixels = Float32Array.from({ length: geometry.width * geometry.height }, (_, i) => i % 7);
    const file = readFits(
      writeFits([
        imageHdu(pixels, [geometry.width, geometry.height], {
          cards: [{ keyword: 'OBSTYPE', value: 'bias' }],
        }),
      ]),
    );
    const exposure = calibrationExposureFromFits(file, geometry, 'the bias');
    expect([exposure.width, exposure.height]).toEqual([geometry.width, geometry.height]);
    expect(Array.from(exposure.image.subarray(0, 8))).toEqual([0, 1, 2, 3, 4, 5, 6, 0]);
    expect(exposure.metadata.get('OBSTYPE')).toBe('bias');
  });

  it('fails on a calibration of another size, naming both sizes', () => {
    const file = readFits(writeFits([imageHdu(new Float32Array(12), [4, 3])]));
    expect(() => calibrationExposureFromFits(file, geometry, 'the flat')).toThrow(CalibrationError);
    expect(() => calibrationExposureFromFits(file, geometry, 'the flat')).toThrow(/the flat is 4×3 but/);
  });

  it('reads defects as plain boxes or as the tester writes them', () => {
    const boxes = [{ x0: 1, y0: 2, width: 3, height: 4 }];
    expect(defectsFromJson(JSON.stringify(boxes), geometry).boxes).toEqual(boxes);
    const records = [{ box: boxes[0], kind: 'hot', electrons: 500 }];
    expect(defectsFromJson(JSON.stringify(records), geometry).boxes).toEqual(boxes);
  });

  it('fails on defects that are not JSON, not boxes, or off the detector', () => {
    expect(() => defectsFromJson('{', geometry)).toThrow(/the defects is not JSON/);
    expect(() => defectsFromJson('[{"x0": -1}]', geometry)).toThrow(CalibrationError);
    const off = [{ x0: geometry.width - 1, y0: 0, width: 2, height: 1 }];
    expect(() => defectsFromJson(JSON.stringify(off), geometry)).toThrow(/leaves the/);
  });
});
