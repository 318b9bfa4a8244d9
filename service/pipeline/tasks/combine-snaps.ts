// combineSnaps: the visit image from the ISR-corrected snaps of one detector (LSST cameras take two
// per visit). ISR runs per exposure; this is the first visit-level task, so every later task sees one
// image with the visit's whole exposure time. A one-snap visit passes through unchanged.

import { z } from 'zod';
import { sumSnaps } from '../../domain/image/sum-snaps';
import { multipleInput, type TaskDeclaration, type TaskRun } from '../engine/task';

export const combineSnapsConfig = z.strictObject({});

export type CombineSnapsConfig = z.infer<typeof combineSnapsConfig>;

export const combineSnapsTask: TaskDeclaration<CombineSnapsConfig> = {
  name: 'combineSnaps',
  summary: "Sum a visit's ISR-corrected snaps (images and variances added, masks OR-ed) into the visit image",
  config: combineSnapsConfig,
  inputs: { snaps: { storageClass: 'Exposure', multiple: true } },
  outputs: { exposure: { storageClass: 'Exposure' } },
};

export const runCombineSnaps: TaskRun<CombineSnapsConfig> = (inputs) => ({
  exposure: sumSnaps(multipleInput(inputs, 'snaps', 'Exposure')),
});
