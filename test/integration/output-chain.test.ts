// Exported runs join the day's output chain in the central repo (PostgreSQL + RGW): newest first,
// idempotently, and safely when visits export at the same moment (the chain's row lock).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportOutputs } from '../../service/activator/export-outputs';
import { createLocalRepo, type LocalRepo } from '../../service/activator/local-repo';
import { outputChain, outputRun } from '../../service/domain/collections';
import { datasetTypeDefinition } from '../../service/domain/repo/dataset-type';
import { utcToTai } from '../../service/domain/tai';
import type { Repo } from '../../service/repo/repo';
import { uniqueName } from '../support/local-services';
import { centralRepo, type TestRepo } from '../support/repos';

const INSTRUMENT = 'LATISS';
const DEPLOYMENT = 'pipelines-0123456-config-89abcde';
const MARKER = datasetTypeDefinition({
  name: 'test_visit_marker',
  dimensions: ['instrument', 'detector'],
  storageClass: 'DataFrame',
});

async function chainOf(repo: Repo, chain: string): Promise<string[]> {
  return (await repo.registry.flattenCollections([chain])).map((c) => c.name);
}

describe('the output chain in the central repo', () => {
  let central: TestRepo;
  const locals: LocalRepo[] = [];

  beforeAll(async () => {
    central = await centralRepo('chain');
    const registry = central.repo.registry;
    await registry.insertDimensionRecords('instrument', [{ instrument: INSTRUMENT, detector_max: 8 }], {
      skipExisting: true,
    });
    await registry.insertDimensionRecords(
      'detector',
      [0, 1].map((detector) => ({ instrument: INSTRUMENT, detector, full_name: `D${detector}` })),
      { skipExisting: true },
    );
    await registry.registerDatasetType(MARKER);
  }, 60_000);

  afterAll(async () => {
    await Promise.allSettled(locals.map((l) => l.remove()));
    await central?.cleanup();
  });

  /** A visit's local repo holding one dataset in `run`, as the activator leaves it before export. */
  async function visitRepo(detector: number, run: string): Promise<LocalRepo> {
    const local = await createLocalRepo(`/tmp/pp-it-chain-${process.pid}`, uniqueName('v'));
    locals.push(local);
    await local.repo.registry.insertDimensionRecords('instrument', [
      { instrument: INSTRUMENT, detector_max: 8 },
    ]);
    await local.repo.registry.insertDimensionRecords('detector', [
      { instrument: INSTRUMENT, detector, full_name: `D${detector}` },
    ]);
    await local.repo.registry.registerDatasetType(MARKER);
    await local.repo.registry.registerCollection(run, 'RUN');
    await local.repo.put(
      MARKER.name,
      { instrument: INSTRUMENT, detector },
      run,
      Buffer.from(`${run} ${detector}`),
    );
    return local;
  }

  it('prepends runs newest first, and prepending the front run again changes nothing', async () => {
    const chain = `${INSTRUMENT}/prompt/${uniqueName('output')}`;
    const [a, b] = ['Isr', 'SingleFrame'].map((p) => outputRun(chain, p, DEPLOYMENT)) as [string, string];
    for (const run of [a, b]) await central.repo.registry.registerCollection(run, 'RUN');
    await central.repo.registry.prependToChain(chain, [a]);
    await central.repo.registry.prependToChain(chain, [b]);
    expect(await chainOf(central.repo, chain)).toEqual([b, a]);
    await central.repo.registry.prependToChain(chain, [b]);
    expect(await chainOf(central.repo, chain)).toEqual([b, a]);
    await central.repo.registry.prependToChain(chain, [a]);
    expect(await chainOf(central.repo, chain)).toEqual([a, b]);
  });

  it('loses no run when many visits prepend to one chain at once', async () => {
    const chain = `${INSTRUMENT}/prompt/${uniqueName('output')}`;
    const runs = Array.from({ length: 8 }, (_, i) => outputRun(chain, `Pipeline${i}`, DEPLOYMENT));
    for (const run of runs) await central.repo.registry.registerCollection(run, 'RUN');
    await Promise.all(runs.map((run) => central.repo.registry.prependToChain(chain, [run])));
    const chained = await chainOf(central.repo, chain);
    expect([...chained].sort()).toEqual([...runs].sort());
    const positions = await central.repo.registry.db.query<{ position: number }>(
      `SELECT ch.position FROM "${central.repo.registry.schema}".collection_chain ch
         JOIN "${central.repo.registry.schema}".collection c ON c.collection_id = ch.parent_id
        WHERE c.name = $1 ORDER BY ch.position`,
      [chain],
    );
    expect(positions.rows.map((r) => r.position)).toEqual(runs.map((_, i) => i));
  });

  it('two visits exporting at the same time both land in the chain, with their datasets', async () => {
    const chain = outputChain(INSTRUMENT, utcToTai(Date.now() / 1000)).replace(
      'output-',
      `${uniqueName('t')}-output-`,
    );
    const apPipe = outputRun(chain, 'ApPipe', DEPLOYMENT);
    const singleFrame = outputRun(chain, 'SingleFrame', DEPLOYMENT);
    const visits = [await visitRepo(0, apPipe), await visitRepo(1, singleFrame)];
    const signal = new AbortController().signal;
    const reports = await Promise.all(
      visits.map((local, i) =>
        exportOutputs({
          local: local.repo,
          central: central.repo,
          runs: [i === 0 ? apPipe : singleFrame],
          chain,
          types: [/^.*$/],
          signal,
        }),
      ),
    );
    expect(reports.map((r) => r.transferred)).toEqual([1, 1]);
    expect([...(await chainOf(central.repo, chain))].sort()).toEqual([apPipe, singleFrame].sort());
    const found = await central.repo.registry.queryDatasets({
      datasetType: MARKER.name,
      collections: [chain],
    });
    expect(found.map((d) => d.dataId.detector).sort()).toEqual([0, 1]);
    // a retried export writes nothing again and keeps the chain as it is
    const before = await chainOf(central.repo, chain);
    const again = await exportOutputs({
      local: (visits[1] as LocalRepo).repo,
      central: central.repo,
      runs: [singleFrame],
      chain,
      types: [/^.*$/],
      signal,
    });
    expect(again.transferred).toBe(0);
    const after = await chainOf(central.repo, chain);
    expect(after[0]).toBe(singleFrame);
    expect(after.length).toBe(before.length);
  }, 60_000);
});
