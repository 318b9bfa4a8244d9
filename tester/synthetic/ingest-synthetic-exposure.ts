// Puts a written synthetic exposure into a dataset store the way a local repository would hold it:
// the raw (read from its file) and the master calibrations (bias, dark, flat, defects) under the
// dataset types the shipped Isr/SingleFrame pipelines read. Returns the quantum's data ID.

import { readFileSync } from 'node:fs';
import { readFitsFile } from '../../service/fits-io/read-fits-file';
import {
  calibrationExposureFromFits,
  defectsFromJson,
} from '../../service/pipeline/tasks/isr/calibration-datasets';
import { rawExposureFromFits } from '../../service/pipeline/tasks/isr/raw-exposure';
import type { DataId, DatasetStore } from '../../service/ports/dataset-repository';
import type { SyntheticExposure } from './synthetic-exposure';

export type CalibrationDatasetType = 'bias' | 'dark' | 'flat' | 'defects';

export interface IngestOptions {
  readonly rawRun?: string;
  readonly calibrationRun?: string;
  /** Calibrations to leave out (to test the missing-input check). */
  readonly omit?: readonly CalibrationDatasetType[];
}

/** What ingesting needs of a written exposure: its detector and file paths (no pixels). */
export type WrittenSyntheticExposure = Pick<SyntheticExposure, 'geometry' | 'written' | 'calibrationPaths'>;

export async function ingestSyntheticExposure(
  store: DatasetStore,
  made: WrittenSyntheticExposure,
  options: IngestOptions = {},
): Promise<DataId> {
  const { geometry } = made;
  const raw = rawExposureFromFits(readFitsFile(made.written.rawPath), geometry);
  const id = raw.info.exposureId;
  if (id === undefined) throw new Error(`${made.written.rawPath} has no exposure id in its header`);
  const dataId: DataId = {
    instrument: geometry.instrument,
    detector: geometry.detector.id,
    exposure: id,
    visit: id,
    physical_filter: raw.info.filter ?? '',
  };
  const rawRun = options.rawRun ?? `${geometry.instrument}/raw/all`;
  const calibrationRun = options.calibrationRun ?? `${geometry.instrument}/calib`;
  await store.put(rawRun, { datasetType: 'raw', dataId }, 'Raw', raw);
  const paths = made.calibrationPaths;
  if (paths === undefined) return dataId;
  const omit = new Set(options.omit ?? []);
  const detectorId = { instrument: geometry.instrument, detector: geometry.detector.id };
  const images = [
    ['bias', paths.biasPath, detectorId],
    ['dark', paths.darkPath, detectorId],
    ['flat', paths.flatPath, { ...detectorId, physical_filter: dataId.physical_filter as string }],
  ] as const;
  for (const [type, file, calibrationId] of images) {
    if (omit.has(type)) continue;
    const value = calibrationExposureFromFits(readFitsFile(file), geometry, `the master ${type} ${file}`);
    await store.put(calibrationRun, { datasetType: type, dataId: calibrationId }, 'Exposure', value);
  }
  if (!omit.has('defects')) {
    const defects = defectsFromJson(readFileSync(paths.defectsPath, 'utf8'), geometry, paths.defectsPath);
    await store.put(calibrationRun, { datasetType: 'defects', dataId: detectorId }, 'Defects', defects);
  }
  return dataId;
}
