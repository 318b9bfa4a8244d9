// Writes a synthetic exposure to a directory the way the camera lands it in the raw bucket: the raw
// at its upstream key, the sidecar JSON next to it, and the truth table (JSON) beside both. Also
// writes master calibrations (FITS) and their defects (JSON).

import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Hdu } from '../../service/domain/fits';
import { writeFitsFile } from '../../service/fits-io/read-fits-file';
import type { ExposureDescription } from './exposure-description';
import { type HscExposure, hscRawHdus, hscRawKey } from './hsc-raw-file';
import { lsstRawHdus, lsstRawKey, sidecarOf } from './lsst-raw-file';
import { calibrationHdus, type MasterCalibrations } from './master-calibrations';
import type { SyntheticRaw } from './simulate-raw';

export interface WrittenExposure {
  readonly rawPath: string;
  readonly sidecarPath: string;
  readonly truthPath: string;
  /** The raw's key relative to the directory (as in the raw bucket). */
  readonly key: string;
}

export interface WriteOptions {
  readonly compress?: boolean;
  /** Extra truth to record (e.g. the injected stars), kept under `"scene"`. */
  readonly scene?: unknown;
}

export function writeSyntheticExposure(
  directory: string,
  synthetic: SyntheticRaw,
  exposure: ExposureDescription | HscExposure,
  options: WriteOptions = {},
): WrittenExposure {
  const { raw } = synthetic;
  let key: string;
  let hdus: Hdu[];
  if (raw.geometry.rawFormat === 'hsc-single-hdu') {
    if (!('exposureId' in exposure)) throw new Error('an HSC exposure needs an exposureId');
    key = hscRawKey(raw.geometry.detector.id, exposure);
    hdus = hscRawHdus(raw, exposure);
  } else {
    key = lsstRawKey(raw.geometry, exposure, options.compress === true);
    hdus = lsstRawHdus(raw, exposure, { compress: options.compress === true });
  }
  const rawPath = path.join(directory, key);
  mkdirSync(path.dirname(rawPath), { recursive: true });
  writeFitsFile(rawPath, hdus);
  const stem = rawPath.replace(/\.[^./]+$/, '');
  const sidecarPath = `${stem}.json`;
  const primary = hdus[0];
  writeFileSync(sidecarPath, `${JSON.stringify(sidecarOf(primary?.header.cards ?? []), null, 2)}\n`);
  const truthPath = `${stem}.truth.json`;
  const truth = {
    ...synthetic.truth,
    key,
    exposure,
    ...(options.scene !== undefined ? { scene: options.scene } : {}),
  };
  writeFileSync(truthPath, `${JSON.stringify(truth, null, 2)}\n`);
  return { rawPath, sidecarPath, truthPath, key };
}

export interface WrittenCalibrations {
  readonly biasPath: string;
  readonly darkPath: string;
  readonly flatPath: string;
  readonly defectsPath: string;
}

export function writeMasterCalibrations(
  directory: string,
  calibrations: MasterCalibrations,
  geometry: Parameters<typeof calibrationHdus>[2],
  filter: string,
): WrittenCalibrations {
  mkdirSync(directory, { recursive: true });
  const stem = path.join(directory, `${geometry.instrument}-${geometry.detector.name}`);
  const paths = {
    biasPath: `${stem}-bias.fits`,
    darkPath: `${stem}-dark.fits`,
    flatPath: `${stem}-flat-${filter}.fits`,
    defectsPath: `${stem}-defects.json`,
  };
  writeFitsFile(paths.biasPath, calibrationHdus('bias', calibrations.bias, geometry));
  writeFitsFile(paths.darkPath, calibrationHdus('dark', calibrations.dark, geometry));
  writeFitsFile(paths.flatPath, calibrationHdus('flat', calibrations.flat, geometry, filter));
  writeFileSync(paths.defectsPath, `${JSON.stringify(calibrations.defects, null, 2)}\n`);
  return paths;
}
