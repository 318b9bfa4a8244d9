import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { DeleteObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { datasetTypeDefinition } from '../../service/domain/repo/dataset-type';
import {
  CalibrationConflictError,
  DataIdError,
  DatasetConflictError,
  DatasetFileMissingError,
  DatasetTypeConflictError,
  MissingDatasetTypeError,
} from '../../service/domain/repo/repo-errors';
import type { StoredDataset } from '../../service/registry/datasets';
import { checksumOf } from '../../service/repo/checksum';
import { transferDatasets } from '../../service/repo/transfer';
import { expectListening } from '../support/local-services';
import {
  BIAS,
  DIFFERENCE_IMAGE,
  fileBytes,
  INSTRUMENT,
  insertVisitRecords,
  OUTPUT_RUN,
  registerTypes,
  VISIT,
} from '../support/repo-fixtures';
import { centralRepo, listKeys, localRepo, type TestRepo } from '../support/repos';

type Central = Awaited<ReturnType<typeof centralRepo>>;

/** Datastore files of a local repo (its embedded registry's own files, under registry/, left out). */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && !e.parentPath.startsWith(join(dir, 'registry')))
    .map((e) => join(e.parentPath, e.name));
}

describe('central repo (S3 + PostgreSQL) and local repo (directory + PGlite)', () => {
  let central: Central;
  let local: TestRepo;
  let outputs: StoredDataset[];

  beforeAll(async () => {
    await expectListening('PostgreSQL', '127.0.0.1:5432');
    await expectListening('Ceph RGW', '127.0.0.1:7480');
    [central, local] = await Promise.all([centralRepo(), localRepo()]);
    await Promise.all([registerTypes(local.repo), registerTypes(central.repo)]);
    await insertVisitRecords(local.repo);
    await local.repo.registry.registerCollection(OUTPUT_RUN, 'RUN');
    outputs = [];
    for (let detector = 0; detector < 8; detector++)
      outputs.push(
        await local.repo.put(
          'difference_image',
          { instrument: INSTRUMENT, detector, visit: VISIT },
          OUTPUT_RUN,
          fileBytes(4096 + detector, detector + 1),
          'fits',
        ),
      );
  }, 120_000);

  afterAll(async () => {
    await Promise.all([central?.cleanup(), local?.cleanup()]);
  });

  it('exports local outputs into the central repo: files in S3, rows and dimension records in PostgreSQL', async () => {
    const report = await transferDatasets(local.repo, central.repo, outputs.slice(0, 2));
    expect(report).toMatchObject({ transferred: 2, skipped: 0, bytes: 4096 + 4097 });
    const keys = await listKeys(central.s3, central.bucket);
    expect(keys).toContain(`repo/${outputs[0]?.record.path}`);
    const found = await central.repo.registry.queryDatasets({
      datasetType: 'difference_image',
      collections: [OUTPUT_RUN],
      where: { detector: 1 },
    });
    expect(found.map((d) => d.id)).toEqual([outputs[1]?.id]);
    expect(found[0]?.record.checksum).toBe(checksumOf(fileBytes(4097, 2)));
    expect((await central.repo.get(found[0] as StoredDataset)).equals(fileBytes(4097, 2))).toBe(true);
    const [visit] = await central.repo.registry.dimensionRecords('visit', {
      instrument: INSTRUMENT,
      visit: VISIT,
    });
    expect(visit).toMatchObject({ physical_filter: 'r_57', day_obs: 20261128, region: { radiusDeg: 1.75 } });
  });

  it('skips datasets the central repo has already, so a retried export writes nothing twice', async () => {
    const report = await transferDatasets(local.repo, central.repo, outputs.slice(0, 3));
    expect(report).toMatchObject({ transferred: 1, skipped: 2, dimensionRecords: 1 }); // detector 2 is new
  });

  it('takes 8 detectors of one visit exporting at once without deadlock or lost rows', async () => {
    const reports = await Promise.all(outputs.map((d) => transferDatasets(local.repo, central.repo, [d])));
    expect(reports.reduce((n, r) => n + r.transferred, 0)).toBe(5);
    const all = await central.repo.registry.queryDatasets({ datasetType: 'difference_image' });
    expect(all.map((d) => d.dataId.detector)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
  });

  it('imports back into a fresh local repo with identical bytes (checksums verified)', async () => {
    const back = await localRepo();
    try {
      await registerTypes(back.repo);
      const selected = await central.repo.registry.queryDatasets({
        datasetType: 'difference_image',
        collections: [OUTPUT_RUN],
      });
      expect(await transferDatasets(central.repo, back.repo, selected)).toMatchObject({ transferred: 8 });
      for (const original of outputs) {
        const [copy] = await back.repo.registry.datasetsById([original.id]);
        expect(copy?.record.checksum).toBe(original.record.checksum);
        expect((await back.repo.get(copy as StoredDataset)).equals(await local.repo.get(original))).toBe(
          true,
        );
      }
    } finally {
      await back.cleanup();
    }
  }, 60_000);

  it('finds the calibration whose validity range holds the date', async () => {
    const r = central.repo.registry;
    for (const run of ['LSSTCam/calib/2026A', 'LSSTCam/calib/2026B']) await r.registerCollection(run, 'RUN');
    await r.registerCollection('LSSTCam/calib', 'CALIBRATION');
    await r.registerCollection('LSSTCam/defaults', 'CHAINED');
    await r.setChain('LSSTCam/defaults', ['LSSTCam/calib', OUTPUT_RUN]);
    const dataId = { instrument: INSTRUMENT, detector: 3 };
    const early = await central.repo.put('bias', dataId, 'LSSTCam/calib/2026A', fileBytes(64, 10));
    const late = await central.repo.put('bias', dataId, 'LSSTCam/calib/2026B', fileBytes(64, 11));
    await r.certify('LSSTCam/calib', [early.id], {
      begin: new Date('2026-01-01T00:00:00Z'),
      end: new Date('2026-06-01T00:00:00Z'),
    });
    await r.certify('LSSTCam/calib', [late.id], { begin: new Date('2026-06-01T00:00:00Z') });
    const at = (iso: string) => r.findCalibration('bias', dataId, ['LSSTCam/defaults'], new Date(iso));
    expect((await at('2026-03-01T00:00:00Z'))?.id).toBe(early.id);
    expect((await at('2026-05-31T23:59:59Z'))?.id).toBe(early.id);
    expect((await at('2026-06-01T00:00:00Z'))?.id).toBe(late.id);
    expect(await at('2025-12-31T00:00:00Z')).toBeUndefined();
    expect(
      (await r.queryDatasets({ datasetType: 'bias', collections: ['LSSTCam/calib'] }))
        .map((d) => d.id)
        .sort(),
    ).toEqual([early.id, late.id].sort());
  });

  it('fails to certify a range that overlaps an existing one, and keeps the old ranges', async () => {
    const r = central.repo.registry;
    await r.registerCollection('LSSTCam/calib/2026C', 'RUN');
    const extra = await central.repo.put(
      'bias',
      { instrument: INSTRUMENT, detector: 3 },
      'LSSTCam/calib/2026C',
      fileBytes(64, 12),
    );
    await expect(
      r.certify('LSSTCam/calib', [extra.id], {
        begin: new Date('2026-05-01T00:00:00Z'),
        end: new Date('2026-07-01T00:00:00Z'),
      }),
    ).rejects.toThrow(CalibrationConflictError);
    const found = await r.findCalibration(
      'bias',
      { instrument: INSTRUMENT, detector: 3 },
      ['LSSTCam/calib'],
      new Date('2026-05-15T00:00:00Z'),
    );
    expect(found?.id).not.toBe(extra.id);
  });

  it('fails to export a dataset type the central repo lacks, writing no object and no row', async () => {
    await local.repo.registry.registerDatasetType(
      datasetTypeDefinition({
        name: 'dia_source_table',
        dimensions: ['instrument', 'detector', 'visit'],
        storageClass: 'ArrowAstropy',
      }),
    );
    const table = await local.repo.put(
      'dia_source_table',
      { instrument: INSTRUMENT, detector: 0, visit: VISIT },
      OUTPUT_RUN,
      fileBytes(100, 3),
    );
    const before = await listKeys(central.s3, central.bucket);
    await expect(transferDatasets(local.repo, central.repo, [table])).rejects.toThrow(
      MissingDatasetTypeError,
    );
    await expect(transferDatasets(local.repo, central.repo, [table])).rejects.toThrow(
      /register-dataset-type dia_source_table/,
    );
    expect(await listKeys(central.s3, central.bucket)).toEqual(before);
    expect(await central.repo.registry.existingDatasetIds([table.id])).toEqual(new Set());
  });

  it('fails on a malformed data id before writing a file', async () => {
    const before = filesUnder(local.root).length;
    await expect(
      local.repo.put(
        'difference_image',
        { instrument: INSTRUMENT, detector: 'R01_S00', visit: VISIT },
        OUTPUT_RUN,
        fileBytes(10, 1),
      ),
    ).rejects.toThrow(DataIdError);
    await expect(
      local.repo.put(
        'difference_image',
        { instrument: INSTRUMENT, detector: 0 },
        OUTPUT_RUN,
        fileBytes(10, 1),
      ),
    ).rejects.toThrow(/missing visit/);
    await expect(
      local.repo.put('no_such_type', { instrument: INSTRUMENT }, OUTPUT_RUN, fileBytes(10, 1)),
    ).rejects.toThrow(MissingDatasetTypeError);
    // a data id whose dimension record is missing: the file is written, the rows are refused, the file is removed
    await expect(
      local.repo.put(
        'difference_image',
        { instrument: INSTRUMENT, detector: 99, visit: VISIT },
        OUTPUT_RUN,
        fileBytes(10, 1),
      ),
    ).rejects.toThrow(/no detector record for instrument=LSSTCam, detector=99/);
    expect(filesUnder(local.root).length).toBe(before);
  });

  it('fails on a conflicting re-registration and keeps the first definition', async () => {
    await expect(
      central.repo.registry.registerDatasetType(
        datasetTypeDefinition({
          name: 'difference_image',
          dimensions: ['instrument', 'detector'],
          storageClass: 'ExposureF',
        }),
      ),
    ).rejects.toThrow(DatasetTypeConflictError);
    expect(await central.repo.registry.registerDatasetType(DIFFERENCE_IMAGE)).toBe('exists');
    expect(await central.repo.registry.datasetType('difference_image')).toMatchObject({
      dimensions: ['instrument', 'detector', 'visit'],
    });
    expect(await central.repo.registry.datasetType('bias')).toMatchObject({
      isCalibration: BIAS.isCalibration,
    });
  });

  it('fails when an S3 object is missing behind a registry record, leaving no orphan files in the target', async () => {
    const run = 'LSSTCam/prompt/output-2026-11-28/Isr/prompt-service-00042';
    await central.repo.registry.registerCollection(run, 'RUN');
    const first = await central.repo.put(
      'difference_image',
      { instrument: INSTRUMENT, detector: 5, visit: VISIT },
      run,
      fileBytes(300, 5),
    );
    const second = await central.repo.put(
      'difference_image',
      { instrument: INSTRUMENT, detector: 6, visit: VISIT },
      run,
      fileBytes(300, 6),
    );
    await central.s3.send(
      new DeleteObjectCommand({ Bucket: central.bucket, Key: `repo/${second.record.path}` }),
    );
    await expect(central.repo.get(second)).rejects.toThrow(DatasetFileMissingError);
    const before = filesUnder(local.root).length;
    await expect(transferDatasets(central.repo, local.repo, [first, second])).rejects.toThrow(
      /is registered but s3:\/\/.* is missing/,
    );
    expect(filesUnder(local.root).length).toBe(before);
    expect(await local.repo.registry.existingDatasetIds([first.id, second.id])).toEqual(new Set());
  });

  it('fails when the target holds another dataset with the same data id in the run, and removes the files it copied', async () => {
    const run = 'LSSTCam/prompt/output-2026-11-28/SingleFrame/prompt-service-00042';
    await local.repo.registry.registerCollection(run, 'RUN');
    await central.repo.registry.registerCollection(run, 'RUN');
    const dataId = { instrument: INSTRUMENT, detector: 7, visit: VISIT };
    const ok = await local.repo.put('difference_image', { ...dataId, detector: 4 }, run, fileBytes(50, 40));
    const clash = await local.repo.put('difference_image', dataId, run, fileBytes(50, 41));
    await central.repo.put('difference_image', dataId, run, fileBytes(50, 42));
    const before = await listKeys(central.s3, central.bucket);
    await expect(transferDatasets(local.repo, central.repo, [ok, clash])).rejects.toThrow(
      DatasetConflictError,
    );
    expect(await listKeys(central.s3, central.bucket)).toEqual(before);
    expect(await central.repo.registry.existingDatasetIds([ok.id])).toEqual(new Set());
  });
});
