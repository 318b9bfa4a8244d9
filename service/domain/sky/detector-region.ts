// Where one detector of a visit lands on the sky, before any raw exists: from the visit's boresight
// (next_visit `position`), its rotation (`cameraAngle`) and the camera's focal-plane layout, a circle
// that bounds the detector, padded by PRELOAD_PADDING. Preloading templates and refcats only needs a
// bound, so a circle around the detector's centre is enough. Pure.

import type { InstrumentName } from '../instruments';
import type { SkyCircle } from './sky-circle';

const DEG = Math.PI / 180;
const ARCSEC = DEG / 3600;

/** What the region computation needs of a camera. */
export interface CameraLayout {
  /** Arcseconds per pixel at the centre of the field. */
  readonly pixelScaleArcsec: number;
  /** Detector size in pixels (the larger vendor's, so the bound holds for every sensor). */
  readonly detectorPixels: readonly [width: number, height: number];
  /**
   * The detector centre's focal-plane offset from the boresight in pixels (x, y), or undefined when
   * the layout is not modelled (then the whole field, `fieldRadiusDeg`, is used).
   */
  readonly centerOffset: (detectorName: string) => readonly [number, number] | undefined;
  /** Radius of the camera's whole field, degrees. */
  readonly fieldRadiusDeg: number;
}

/** LSST cameras: 10 µm pixels, sensors on a 42.25 mm pitch, rafts on a 127 mm pitch. */
const LSST_SENSOR_PITCH_PX = 4225;
const LSST_RAFT_PITCH_PX = 12_700;

/**
 * Offset of `Rrc_Sab` from the centre raft R22's centre sensor S11: raft row r / column c, sensor row a
 * / column b, rows along focal-plane y and columns along x (the obs_lsst naming).
 */
export function lsstSensorOffset(name: string): readonly [number, number] | undefined {
  const match = /^R(\d)(\d)_S(\d)(\d)$/.exec(name);
  if (!match) return undefined;
  const [r, c, a, b] = match.slice(1).map(Number) as [number, number, number, number];
  return [
    (c - 2) * LSST_RAFT_PITCH_PX + (b - 1) * LSST_SENSOR_PITCH_PX,
    (r - 2) * LSST_RAFT_PITCH_PX + (a - 1) * LSST_SENSOR_PITCH_PX,
  ];
}

export const CAMERA_LAYOUTS: Readonly<Record<InstrumentName, CameraLayout>> = {
  // One sensor on the optical axis.
  LATISS: {
    pixelScaleArcsec: 0.1,
    detectorPixels: [4072, 4000],
    centerOffset: () => [0, 0],
    fieldRadiusDeg: 0.08,
  },
  LSSTComCam: {
    pixelScaleArcsec: 0.2,
    detectorPixels: [4096, 4004],
    centerOffset: lsstSensorOffset,
    fieldRadiusDeg: 0.4,
  },
  LSSTCam: {
    pixelScaleArcsec: 0.2,
    detectorPixels: [4096, 4004],
    centerOffset: lsstSensorOffset,
    fieldRadiusDeg: 1.75,
  },
  // HSC's 112 CCDs are not laid out here: the whole 1.5° field bounds every one of them.
  HSC: {
    pixelScaleArcsec: 0.168,
    detectorPixels: [2048, 4176],
    centerOffset: () => undefined,
    fieldRadiusDeg: 0.75,
  },
};

/**
 * (ra, dec) in degrees of the point at tangent-plane offsets (ξ east, η north), radians, from the
 * tangent point (gnomonic deprojection).
 */
export function deproject(raDeg: number, decDeg: number, xi: number, eta: number): [number, number] {
  const dec0 = decDeg * DEG;
  const denominator = Math.cos(dec0) - eta * Math.sin(dec0);
  const ra = raDeg * DEG + Math.atan2(xi, denominator);
  const dec = Math.atan2(Math.sin(dec0) + eta * Math.cos(dec0), Math.hypot(xi, denominator));
  return [(((ra / DEG) % 360) + 360) % 360, dec / DEG];
}

export interface DetectorPointing {
  /** Boresight [ra, dec], degrees (next_visit `position`, ICRS). */
  readonly boresight: readonly [number, number];
  /**
   * Position angle of the camera's +y axis, degrees east of north (next_visit `cameraAngle`);
   * +x is 90° further, so at 0° x points east.
   */
  readonly cameraAngleDeg: number;
  readonly detectorName: string;
}

/** The detector's centre on the sky, degrees; the boresight when the layout is not modelled. */
export function detectorCenter(layout: CameraLayout, pointing: DetectorPointing): [number, number] {
  const [ra0, dec0] = pointing.boresight;
  const offset = layout.centerOffset(pointing.detectorName);
  if (!offset) return [ra0, dec0];
  const theta = pointing.cameraAngleDeg * DEG;
  const scale = layout.pixelScaleArcsec * ARCSEC;
  const [x, y] = offset;
  const xi = (x * Math.cos(theta) + y * Math.sin(theta)) * scale;
  const eta = (-x * Math.sin(theta) + y * Math.cos(theta)) * scale;
  return deproject(ra0, dec0, xi, eta);
}

/** A circle bounding the detector, grown by `paddingArcsec` (PRELOAD_PADDING). */
export function detectorRegion(
  layout: CameraLayout,
  pointing: DetectorPointing,
  paddingArcsec: number,
): SkyCircle {
  const [raDeg, decDeg] = detectorCenter(layout, pointing);
  const [width, height] = layout.detectorPixels;
  const modelled = layout.centerOffset(pointing.detectorName) !== undefined;
  const halfDiagonalDeg = modelled
    ? (Math.hypot(width, height) / 2) * (layout.pixelScaleArcsec / 3600)
    : layout.fieldRadiusDeg;
  return { raDeg, decDeg, radiusDeg: halfDiagonalDeg + paddingArcsec / 3600 };
}

/** Smallest difference between two angles, degrees in [0, 180]. */
export function angleDifferenceDeg(a: number, b: number): number {
  const d = (((a - b) % 360) + 360) % 360;
  return d > 180 ? 360 - d : d;
}
