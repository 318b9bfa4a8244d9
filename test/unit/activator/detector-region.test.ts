import { describe, expect, it } from 'vitest';
import { parseExportTypes } from '../../../service/activator/export-outputs';
import { rotationOf } from '../../../service/activator/ingest-raws';
import { boundingCircle } from '../../../service/activator/preload';
import { Header } from '../../../service/domain/fits';
import {
  angleDifferenceDeg,
  CAMERA_LAYOUTS,
  deproject,
  detectorCenter,
  detectorRegion,
  lsstSensorOffset,
} from '../../../service/domain/sky/detector-region';
import { separationDeg } from '../../../service/domain/sky/sky-circle';

describe('detector region', () => {
  it('puts LSSTCam sensors on the raft and sensor pitch around R22_S11', () => {
    expect(lsstSensorOffset('R22_S11')).toEqual([0, 0]);
    expect(lsstSensorOffset('R22_S12')).toEqual([4225, 0]);
    expect(lsstSensorOffset('R32_S11')).toEqual([0, 12_700]);
    expect(lsstSensorOffset('R01_S00')).toEqual([-12_700 - 4225, -2 * 12_700 - 4225]);
    expect(lsstSensorOffset('not a sensor')).toBeUndefined();
  });

  it('deprojects tangent-plane offsets: east raises ra by ξ/cos(dec), north raises dec', () => {
    const arcmin = Math.PI / 180 / 60;
    const [ra, dec] = deproject(10, 60, arcmin, 0);
    expect(ra).toBeCloseTo(10 + 1 / 60 / Math.cos(Math.PI / 3), 6);
    expect(dec).toBeCloseTo(60, 4);
    expect(deproject(359.99, 0, 0, arcmin)).toEqual([expect.closeTo(359.99, 9), expect.closeTo(1 / 60, 9)]);
  });

  it('rotates the focal plane by cameraAngle: R22_S12 lies east at 0° and south at 90° (+x at cameraAngle + 90°)', () => {
    const layout = CAMERA_LAYOUTS.LSSTCam;
    const at = (angle: number) =>
      detectorCenter(layout, { boresight: [150, 0], cameraAngleDeg: angle, detectorName: 'R22_S12' });
    const offsetDeg = (4225 * 0.2) / 3600;
    const [ra0, dec0] = at(0);
    expect(ra0).toBeCloseTo(150 + offsetDeg, 5);
    expect(dec0).toBeCloseTo(0, 6);
    const [ra90, dec90] = at(90);
    expect(ra90).toBeCloseTo(150, 6);
    expect(dec90).toBeCloseTo(-offsetDeg, 5);
    expect(separationDeg(150, 0, ...at(33))).toBeCloseTo(offsetDeg, 5);
  });

  it('bounds the detector by its half-diagonal plus PRELOAD_PADDING, or the whole HSC field', () => {
    const lsst = detectorRegion(
      CAMERA_LAYOUTS.LSSTCam,
      { boresight: [150, -30], cameraAngleDeg: 0, detectorName: 'R22_S11' },
      30,
    );
    expect(lsst.radiusDeg).toBeCloseTo((Math.hypot(4096, 4004) / 2) * (0.2 / 3600) + 30 / 3600, 9);
    expect(lsst.raDeg).toBeCloseTo(150, 9);
    expect(lsst.decDeg).toBeCloseTo(-30, 9);
    const hsc = detectorRegion(
      CAMERA_LAYOUTS.HSC,
      { boresight: [10, 2], cameraAngleDeg: 0, detectorName: '50' },
      0,
    );
    expect(hsc).toEqual({ raDeg: 10, decDeg: 2, radiusDeg: 0.75 });
  });
});

describe('rotation check', () => {
  it('measures the smallest angle between rotations, through 0°', () => {
    expect(angleDifferenceDeg(359.5, 0.3)).toBeCloseTo(0.8, 9);
    expect(angleDifferenceDeg(270, 90)).toBe(180);
    expect(angleDifferenceDeg(10, 11.5)).toBeCloseTo(1.5, 9);
  });

  it('reads the rotation from the sidecar first, then ROTPA, then 270° − INST-PA', () => {
    const header = new Header([{ keyword: 'ROTPA', value: 12 }]);
    expect(rotationOf(header, { ROTPA: 270.5 })).toBe(270.5);
    expect(rotationOf(header, undefined)).toBe(12);
    expect(rotationOf(new Header([{ keyword: 'INST-PA', value: -90 }]), {})).toBe(360);
    expect(rotationOf(new Header([{ keyword: 'INST-PA', value: 270 }]), {})).toBe(0);
    expect(rotationOf(new Header([]), undefined)).toBeUndefined();
  });
});

describe('preload and export helpers', () => {
  it('bounds a polygon region by a circle through its farthest vertex', () => {
    const circle = boundingCircle({
      vertices: [
        [10, -1],
        [12, -1],
        [12, 1],
        [10, 1],
      ],
    });
    expect(circle?.raDeg).toBeCloseTo(11, 9);
    expect(circle?.decDeg).toBeCloseTo(0, 9);
    expect(circle?.radiusDeg).toBeCloseTo(separationDeg(11, 0, 12, 1), 9);
    expect(boundingCircle({ raDeg: 1, decDeg: 2, radiusDeg: 0.3 })).toEqual({
      raDeg: 1,
      decDeg: 2,
      radiusDeg: 0.3,
    });
    expect(boundingCircle(null)).toBeUndefined();
  });

  it("reads the skymap records' { polygon } regions, so only overlapping patches are preloaded", () => {
    const square = [
      [10, -1],
      [12, -1],
      [12, 1],
      [10, 1],
    ] as const;
    expect(boundingCircle({ polygon: square })).toEqual(boundingCircle({ vertices: square }));
    expect(boundingCircle({ polygon: square })).toBeDefined();
  });

  it('matches EXPORT_TYPE_REGEXP entries in full, and exports everything when the list is unusable', () => {
    const types = parseExportTypes('- .*_config\n- difference_image');
    const exported = (name: string) => types.some((r) => r.test(name));
    expect(exported('isr_config')).toBe(true);
    expect(exported('difference_image')).toBe(true);
    expect(exported('difference_image_background')).toBe(false);
    expect(parseExportTypes('[unclosed').some((r) => r.test('anything'))).toBe(true);
  });
});
