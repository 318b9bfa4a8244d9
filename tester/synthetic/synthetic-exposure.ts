// One call for a complete synthetic exposure of a catalogued detector: geometry, master calibrations,
// the raw (from a flat sky or a caller's image of expected electrons, e.g. a rendered star field),
// all written to a directory with the sidecar and the truth table. What later tests and benches reuse.

import type { LsstAmpSize } from '../../service/domain/camera-geometry/amp-layout';
import { detectorGeometry } from '../../service/domain/camera-geometry/camera-geometry';
import type { DetectorGeometry } from '../../service/domain/camera-geometry/detector-geometry';
import type { InstrumentName } from '../../service/domain/instruments';
import type { ExposureDescription } from './exposure-description';
import type { HscExposure } from './hsc-raw-file';
import {
  type MasterCalibrationSpec,
  type MasterCalibrations,
  makeMasterCalibrations,
} from './master-calibrations';
import { type SyntheticRaw, simulateRaw } from './simulate-raw';
import {
  type WrittenCalibrations,
  type WrittenExposure,
  writeMasterCalibrations,
  writeSyntheticExposure,
} from './write-synthetic-exposure';

export interface SyntheticExposureOptions {
  readonly instrument: InstrumentName;
  readonly detector: number | string;
  readonly seed: number;
  /** Scaled-down LSST amps for fast tests; the real size by default. */
  readonly ampSize?: LsstAmpSize;
  /** Expected electrons per detector pixel; default a flat sky of `skyElectrons`. */
  readonly electrons?: Float32Array;
  readonly skyElectrons?: number;
  /** Master calibrations to apply (and write); false for none. Default: makeMasterCalibrations defaults. */
  readonly calibrations?: Omit<MasterCalibrationSpec, 'seed'> | false;
  readonly exposure?: Partial<HscExposure>;
  readonly compress?: boolean;
  /** Extra truth for the truth table (the star list of a rendered field). */
  readonly scene?: unknown;
}

export interface SyntheticExposure {
  readonly geometry: DetectorGeometry;
  readonly synthetic: SyntheticRaw;
  readonly calibrations?: MasterCalibrations;
  readonly written: WrittenExposure;
  readonly calibrationPaths?: WrittenCalibrations;
  readonly exposure: ExposureDescription | HscExposure;
}

const DEFAULT_EXPOSURE: HscExposure = {
  dayObs: '20250101',
  seqNum: 1,
  groupId: '2025-01-01T03:00:00.000',
  imageType: 'OBJECT',
  filter: 'r_57',
  exposureTimeSeconds: 30,
  beginMjdTai: 60676.125,
  raDeg: 150,
  decDeg: 2,
  rotPaDeg: 0,
  exposureId: 1,
};

export function writeSyntheticDetectorExposure(
  directory: string,
  options: SyntheticExposureOptions,
): SyntheticExposure {
  const geometry = detectorGeometry(
    options.instrument,
    options.detector,
    options.ampSize ? { ampSize: options.ampSize } : {},
  );
  const exposure: HscExposure = {
    ...DEFAULT_EXPOSURE,
    ...(geometry.instrument === 'HSC' ? { filter: 'HSC-R' } : {}),
    ...options.exposure,
  };
  const electrons =
    options.electrons ??
    new Float32Array(geometry.width * geometry.height).fill(options.skyElectrons ?? 1000);
  const calibrations =
    options.calibrations === false
      ? undefined
      : makeMasterCalibrations(geometry, { ...options.calibrations, seed: options.seed + 1 });
  const darkTimeSeconds = exposure.darkTimeSeconds ?? exposure.exposureTimeSeconds;
  const synthetic = simulateRaw({
    geometry,
    seed: options.seed,
    electrons,
    ...(calibrations
      ? {
          flat: calibrations.flat,
          darkCurrent: calibrations.dark,
          darkTimeSeconds,
          biasStructure: calibrations.bias,
          defects: calibrations.defects,
        }
      : {}),
  });
  const lsstExposure: ExposureDescription | HscExposure =
    geometry.instrument === 'HSC' ? exposure : withoutExposureId(exposure);
  const written = writeSyntheticExposure(directory, synthetic, lsstExposure, {
    compress: options.compress === true,
    ...(options.scene !== undefined ? { scene: options.scene } : {}),
  });
  const calibrationPaths = calibrations
    ? writeMasterCalibrations(`${directory}/calib`, calibrations, geometry, exposure.filter)
    : undefined;
  return {
    geometry,
    synthetic,
    written,
    exposure: lsstExposure,
    ...(calibrations ? { calibrations } : {}),
    ...(calibrationPaths ? { calibrationPaths } : {}),
  };
}

function withoutExposureId(exposure: HscExposure): ExposureDescription {
  const { exposureId: _unused, ...rest } = exposure;
  return rest;
}
