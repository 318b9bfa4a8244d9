// Dimension records and dataset types a Prompt Processing repo holds for one LSSTCam visit, shared by
// the repo tests and bench:repo.
import { datasetTypeDefinition } from '../../service/domain/repo/dataset-type';
import type { Repo } from '../../service/repo/repo';

export const INSTRUMENT = 'LSSTCam';
export const VISIT = 2026112800042;
export const OUTPUT_RUN = 'LSSTCam/prompt/output-2026-11-28/ApPipe/prompt-service-00042';

export const DIFFERENCE_IMAGE = datasetTypeDefinition({
  name: 'difference_image',
  dimensions: ['instrument', 'detector', 'visit'],
  storageClass: 'ExposureF',
});
export const BIAS = datasetTypeDefinition({
  name: 'bias',
  dimensions: ['instrument', 'detector'],
  storageClass: 'ExposureF',
  isCalibration: true,
});

/** Instrument, detectors 0..n-1, filter, day_obs, group, exposure and visit records. */
export async function insertVisitRecords(repo: Repo, detectors = 8): Promise<void> {
  const r = repo.registry;
  await r.insertDimensionRecords(
    'instrument',
    [{ instrument: INSTRUMENT, detector_max: 189, visit_max: 2 ** 40 }],
    {
      skipExisting: true,
    },
  );
  await r.insertDimensionRecords(
    'detector',
    Array.from({ length: detectors }, (_, d) => ({
      instrument: INSTRUMENT,
      detector: d,
      full_name: `R01_S0${d}`,
    })),
    { skipExisting: true },
  );
  await r.insertDimensionRecords(
    'physical_filter',
    [{ instrument: INSTRUMENT, physical_filter: 'r_57', band: 'r' }],
    {
      skipExisting: true,
    },
  );
  await r.insertDimensionRecords(
    'day_obs',
    [
      {
        instrument: INSTRUMENT,
        day_obs: 20261128,
        timespan_begin: '2026-11-28T12:00:00Z',
        timespan_end: '2026-11-29T12:00:00Z',
      },
    ],
    { skipExisting: true },
  );
  await r.insertDimensionRecords('group', [{ instrument: INSTRUMENT, group: '2026-11-28T03:14:15.926' }], {
    skipExisting: true,
  });
  await r.insertDimensionRecords(
    'visit',
    [
      {
        instrument: INSTRUMENT,
        visit: VISIT,
        physical_filter: 'r_57',
        day_obs: 20261128,
        timespan_begin: '2026-11-28T03:14:15Z',
        timespan_end: '2026-11-28T03:14:45Z',
        region: { raDeg: 149.28, decDeg: 2.93, radiusDeg: 1.75 },
      },
    ],
    { skipExisting: true },
  );
}

export async function registerTypes(repo: Repo): Promise<void> {
  await repo.registry.registerDatasetType(DIFFERENCE_IMAGE);
  await repo.registry.registerDatasetType(BIAS);
}

/** Deterministic bytes, different per seed. */
export function fileBytes(size: number, seed: number): Buffer {
  const bytes = Buffer.alloc(size);
  let state = seed >>> 0 || 1;
  for (let i = 0; i < size; i += 4) {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    bytes.writeUInt32LE(state >>> 0, Math.min(i, size - 4));
  }
  return bytes;
}
