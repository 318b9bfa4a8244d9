// The pipeline's view of a local repo: `get` gives the first dataset matching a partial data ID,
// `getAll` every one (each full data ID once, the earlier collection winning) — how getTemplate
// receives all the template patches that overlap a detector.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RepoDatasetStore } from '../../service/repo/repo-dataset-store';
import { localRepo, type TestRepo } from '../support/repos';

describe('RepoDatasetStore', () => {
  let local: TestRepo;
  let store: RepoDatasetStore;
  const patch = (tract: number, patch: number) => ({ skymap: 'cells', tract, patch, band: 'r' });

  beforeAll(async () => {
    local = await localRepo();
    const { registry } = local.repo;
    await registry.insertDimensionRecords('skymap', [{ skymap: 'cells', tract_max: 10 }]);
    await registry.insertDimensionRecords('tract', [
      { skymap: 'cells', tract: 1 },
      { skymap: 'cells', tract: 2 },
    ]);
    await registry.insertDimensionRecords(
      'patch',
      [
        [1, 2],
        [1, 3],
        [1, 4],
        [2, 7],
      ].map(([tract, p]) => ({ skymap: 'cells', tract: tract as number, patch: p as number })),
    );
    await registry.insertDimensionRecords('band', [{ band: 'r' }]).catch(() => undefined);
    const writer = new RepoDatasetStore(local.repo, []);
    for (const [run, tract, p, value] of [
      ['templates/a', 1, 2, 'a12'],
      ['templates/a', 1, 3, 'a13'],
      ['templates/a', 2, 7, 'a27'],
      ['templates/b', 1, 2, 'b12'],
      ['templates/b', 1, 4, 'b14'],
    ] as const) {
      await writer.put(run, { datasetType: 'template_coadd', dataId: patch(tract, p) }, 'DataFrame', {
        value,
      });
    }
    store = new RepoDatasetStore(local.repo, ['templates/a', 'templates/b']);
  });

  afterAll(async () => {
    await local?.cleanup();
  });

  it('returns every patch matching a partial data ID, each once, from the first collection holding it', async () => {
    const all = (await store.getAll({
      datasetType: 'template_coadd',
      dataId: { skymap: 'cells', band: 'r' },
    })) as Array<{
      value: string;
    }>;
    expect(all.map((d) => d.value).sort()).toEqual(['a12', 'a13', 'a27', 'b14']);
    const tract1 = (await store.getAll({ datasetType: 'template_coadd', dataId: { tract: 1 } })) as Array<{
      value: string;
    }>;
    expect(tract1.map((d) => d.value).sort()).toEqual(['a12', 'a13', 'b14']);
  });

  it('returns nothing for an unknown dataset type or no match', async () => {
    expect(await store.getAll({ datasetType: 'nothing', dataId: {} })).toEqual([]);
    expect(await store.getAll({ datasetType: 'template_coadd', dataId: { band: 'g' } })).toEqual([]);
  });
});
