// Export of a visit's outputs to the central repo (upstream export_outputs): datasets of the runs
// this visit wrote whose type has the `detector` dimension and whose name fully matches one of
// EXPORT_TYPE_REGEXP, with their dimension records (skip-existing). transferDatasets skips what the
// central repo already has, so a repeated export writes nothing twice. The runs are put at the front
// of the day's output chain (newest first) in the transaction that registers the datasets, under the
// chain's row lock, so concurrent visits neither lose nor duplicate a run in it.

import { parse } from 'yaml';
import type { StoredDataset } from '../registry/datasets';
import type { Repo } from '../repo/repo';
import { type TransferReport, transferDatasets } from '../repo/transfer';

/** EXPORT_TYPE_REGEXP: a YAML list of regexes; anything unusable exports everything, as upstream. */
export function parseExportTypes(yamlText: string): RegExp[] {
  try {
    const list = parse(yamlText) as unknown;
    if (Array.isArray(list) && list.length > 0 && list.every((p) => typeof p === 'string'))
      return list.map((p) => new RegExp(`^(?:${p})$`));
  } catch {
    // fall through to "export everything"
  }
  return [/^.*$/];
}

export interface ExportRequest {
  readonly local: Repo;
  readonly central: Repo;
  /** Runs in the local repo whose outputs are exported, newest first: so they go into the chain. */
  readonly runs: readonly string[];
  /** The day's output chain in the central repo, `<INST>/prompt/output-<YYYY-MM-DD>`. */
  readonly chain: string;
  readonly types: readonly RegExp[];
  readonly signal: AbortSignal;
}

async function exportable(request: ExportRequest): Promise<StoredDataset[]> {
  const registry = request.local.registry;
  const existingRuns: string[] = [];
  for (const run of request.runs) {
    try {
      await registry.flattenCollections([run]);
      existingRuns.push(run);
    } catch {
      // a run nothing was written to was never registered
    }
  }
  if (existingRuns.length === 0) return [];
  const names = await registry.db.query<{ name: string; dimensions: string[] }>(
    `SELECT name, dimensions FROM "${registry.schema}".dataset_type ORDER BY name`,
  );
  const datasets: StoredDataset[] = [];
  for (const { name, dimensions } of names.rows) {
    if (!dimensions.includes('detector') || !request.types.some((r) => r.test(name))) continue;
    datasets.push(...(await registry.queryDatasets({ datasetType: name, collections: existingRuns })));
  }
  return datasets;
}

export async function exportOutputs(request: ExportRequest): Promise<TransferReport & { types: string[] }> {
  request.signal.throwIfAborted();
  const datasets = await exportable(request);
  if (datasets.length === 0) return { transferred: 0, skipped: 0, bytes: 0, dimensionRecords: 0, types: [] };
  const report = await transferDatasets(request.local, request.central, datasets, {
    chain: { name: request.chain, runs: request.runs },
  });
  return { ...report, types: [...new Set(datasets.map((d) => d.datasetType))].sort() };
}
