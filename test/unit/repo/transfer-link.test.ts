// Transfers between two directory repos on one filesystem hard-link the files instead of copying
// them; what a copy would have caught is still caught: a wrong size at once, wrong bytes on read.
import { rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChecksumMismatchError, DatasetFileMissingError } from '../../../service/domain/repo/repo-errors';
import type { StoredDataset } from '../../../service/registry/datasets';
import { transferDatasets } from '../../../service/repo/transfer';
import {
  fileBytes,
  INSTRUMENT,
  insertVisitRecords,
  OUTPUT_RUN,
  registerTypes,
  VISIT,
} from '../../support/repo-fixtures';
import { localRepo, type TestRepo } from '../../support/repos';

describe('transfer between directory repos', () => {
  let source: TestRepo;
  let target: TestRepo;
  let nextDetector = 0;

  beforeAll(async () => {
    [source, target] = await Promise.all([localRepo(), localRepo()]);
    await Promise.all([registerTypes(source.repo), registerTypes(target.repo)]);
    await insertVisitRecords(source.repo);
    await source.repo.registry.registerCollection(OUTPUT_RUN, 'RUN');
  }, 120_000);

  afterAll(async () => {
    await Promise.all([source?.cleanup(), target?.cleanup()]);
  });

  /** A fresh dataset in the source (one detector each). */
  const put = () =>
    source.repo.put(
      'difference_image',
      { instrument: INSTRUMENT, detector: nextDetector++, visit: VISIT },
      OUTPUT_RUN,
      fileBytes(8192, 7),
      'fits',
    );
  const pathIn = (repo: TestRepo, dataset: StoredDataset) => join(repo.root, dataset.record.path);

  it('hard-links the file, and the target reads the same bytes', async () => {
    const dataset = await put();
    const report = await transferDatasets(source.repo, target.repo, [dataset]);
    expect(report.transferred).toBe(1);
    expect(statSync(pathIn(target, dataset)).ino).toBe(statSync(pathIn(source, dataset)).ino);
    expect(await target.repo.registry.existingDatasetIds([dataset.id])).toEqual(new Set([dataset.id]));
    expect(Buffer.compare(await target.repo.get(dataset), Buffer.from(fileBytes(8192, 7)))).toBe(0);
  });

  it('refuses a file whose size is not its record’s, and leaves nothing in the target', async () => {
    const dataset = await put();
    truncateSync(pathIn(source, dataset), 100);
    await expect(transferDatasets(source.repo, target.repo, [dataset])).rejects.toBeInstanceOf(
      ChecksumMismatchError,
    );
    expect(() => statSync(pathIn(target, dataset))).toThrow();
    expect(await target.repo.registry.existingDatasetIds([dataset.id])).toEqual(new Set());
  });

  it('names the missing file when the source has none', async () => {
    const dataset = await put();
    rmSync(pathIn(source, dataset));
    await expect(transferDatasets(source.repo, target.repo, [dataset])).rejects.toBeInstanceOf(
      DatasetFileMissingError,
    );
  });

  it('still catches changed bytes of the same size when the target reads them', async () => {
    const dataset = await put();
    await transferDatasets(source.repo, target.repo, [dataset]);
    const changed = Buffer.from(fileBytes(8192, 7));
    changed[10] = (changed[10] ?? 0) ^ 0xff;
    writeFileSync(pathIn(source, dataset), changed);
    await expect(target.repo.get(dataset)).rejects.toBeInstanceOf(ChecksumMismatchError);
  });
});
