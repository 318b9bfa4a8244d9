// Export/import between repos (local ↔ central): dimension records (skip-existing), files (checksums
// verified in flight; hard-linked instead between directory datastores on one filesystem) and
// registry rows (one transaction). Datasets the target already has (same UUID) are skipped, so a
// retried export is harmless. If anything fails after files were written,
// those files are deleted again: no registry rows without files, no files without rows.

import { dataIdKey } from '../domain/repo/data-id';
import { describeDefinition, sameDefinition } from '../domain/repo/dataset-type';
import { DIMENSION_ORDER, dimension } from '../domain/repo/dimensions';
import {
  ChecksumMismatchError,
  DatasetTypeConflictError,
  MissingDatasetTypeError,
} from '../domain/repo/repo-errors';
import { ObjectMissingError } from '../ports/datastore';
import { findCollection, lockChain, prependChildren, registerCollection } from '../registry/collections';
import type { StoredDataset } from '../registry/datasets';
import type { DimensionRecord } from '../registry/dimension-records';
import { HashingStream } from './checksum';
import { missingFile, type Repo } from './repo';

export interface TransferReport {
  readonly transferred: number;
  readonly skipped: number;
  readonly bytes: number;
  readonly dimensionRecords: number;
}

async function checkDatasetTypes(source: Repo, target: Repo, datasets: readonly StoredDataset[]) {
  for (const name of new Set(datasets.map((d) => d.datasetType))) {
    const wanted = await source.registry.datasetType(name);
    const have = await target.registry.datasetType(name);
    if (!have || !wanted)
      throw new MissingDatasetTypeError(
        `dataset type ${name} is not registered in ${have ? source.root : target.root}: run "prompt-repo register-dataset-type ${name} …" there first; nothing was transferred`,
      );
    if (!sameDefinition(have, wanted))
      throw new DatasetTypeConflictError(
        `dataset type ${name} is ${describeDefinition(wanted)} in ${source.root} but ${describeDefinition(have)} in ${target.root}; nothing was transferred`,
      );
  }
}

/** The source's dimension records behind the data ids, with what they imply, in dependency order. */
async function dimensionRecordsFor(source: Repo, datasets: readonly StoredDataset[]) {
  const wanted = new Map<string, Map<string, Record<string, string | number>>>();
  const want = (element: string, values: Readonly<Record<string, unknown>>) => {
    const info = dimension(element);
    if (!info?.table) return;
    const key: Record<string, string | number> = {};
    for (const k of [...info.requires, element]) {
      const v = values[k];
      if (typeof v !== 'string' && typeof v !== 'number') return;
      key[k] = v;
    }
    const byKey = wanted.get(element) ?? new Map();
    byKey.set(JSON.stringify(key), key);
    wanted.set(element, byKey);
  };
  for (const d of datasets) for (const name of Object.keys(d.dataId)) want(name, d.dataId);
  const found = new Map<string, DimensionRecord[]>();
  // Later elements imply earlier ones (exposure → physical_filter), so walk the order backwards.
  for (const element of [...DIMENSION_ORDER].reverse()) {
    const records: DimensionRecord[] = [];
    for (const key of wanted.get(element)?.values() ?? []) {
      const [record] = await source.registry.dimensionRecords(element, key);
      if (!record) continue;
      records.push(record);
      const info = dimension(element);
      for (const other of [...(info?.requires ?? []), ...(info?.implies ?? [])])
        want(other, { ...key, ...record });
    }
    found.set(element, records);
  }
  return DIMENSION_ORDER.map((element) => ({ element, records: found.get(element) ?? [] }));
}

async function copyFile(source: Repo, target: Repo, dataset: StoredDataset): Promise<void> {
  if (await linkFile(source, target, dataset)) return;
  let stream: NodeJS.ReadableStream;
  try {
    stream = await source.datastore.get(dataset.record.path);
  } catch (error) {
    if (error instanceof ObjectMissingError) throw missingFile(source, dataset);
    throw error;
  }
  const hashing = new HashingStream();
  stream.on('error', (error) => hashing.destroy(error));
  await target.datastore.put(dataset.record.path, stream.pipe(hashing), dataset.record.sizeBytes);
  const checksum = hashing.checksum();
  if (hashing.sizeBytes !== dataset.record.sizeBytes || checksum !== dataset.record.checksum)
    throw new ChecksumMismatchError(
      `${source.datastore.uriOf(dataset.record.path)} read ${hashing.sizeBytes} bytes (${checksum}) but its record says ${dataset.record.sizeBytes} (${dataset.record.checksum}); nothing was transferred`,
    );
}

/**
 * Between two directory datastores on one filesystem the file is hard-linked rather than copied:
 * repo files are never rewritten, and every read checks the bytes against the record's checksum,
 * so only the size is checked here.
 */
async function linkFile(source: Repo, target: Repo, dataset: StoredDataset): Promise<boolean> {
  const path = dataset.record.path;
  let linked: boolean;
  try {
    linked = (await target.datastore.linkFrom?.(source.datastore, path)) ?? false;
  } catch (error) {
    if (error instanceof ObjectMissingError) throw missingFile(source, dataset);
    throw error;
  }
  if (!linked) return false;
  const sizeBytes = (await target.datastore.stat(path))?.sizeBytes;
  if (sizeBytes !== dataset.record.sizeBytes)
    throw new ChecksumMismatchError(
      `${source.datastore.uriOf(path)} has ${sizeBytes} bytes but its record says ${dataset.record.sizeBytes}; nothing was transferred`,
    );
  return true;
}

export interface TransferOptions {
  /**
   * Runs to put at the front of a CHAINED collection of the target (created when missing), in the
   * same transaction as the dataset rows: the datasets become visible through the chain at once.
   * Runs the target does not have (nothing was ever written to them) are left out.
   */
  readonly chain?: { readonly name: string; readonly runs: readonly string[] };
}

export async function transferDatasets(
  source: Repo,
  target: Repo,
  datasets: readonly StoredDataset[],
  options: TransferOptions = {},
): Promise<TransferReport> {
  await checkDatasetTypes(source, target, datasets);
  let dimensionRecords = 0;
  for (const { element, records } of await dimensionRecordsFor(source, datasets)) {
    if (records.length === 0) continue;
    // Sorted keys give every exporter the same lock order, so parallel exports cannot deadlock.
    const sorted = [...records].sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1));
    dimensionRecords += await target.registry.insertDimensionRecords(element, sorted, { skipExisting: true });
  }
  const existing = await target.registry.existingDatasetIds(datasets.map((d) => d.id));
  const pending = datasets.filter((d) => !existing.has(d.id));
  const written: string[] = [];
  try {
    for (const dataset of pending) {
      written.push(dataset.record.path);
      await copyFile(source, target, dataset);
    }
    await target.registry.transaction(async (session) => {
      const schema = `"${target.registry.schema}"`;
      // the chain's lock first: every exporter into it takes its locks in the same order
      const chain = options.chain ? await lockChain(session, schema, options.chain.name) : undefined;
      for (const run of new Set(pending.map((d) => d.run)))
        await registerCollection(session, schema, run, 'RUN');
      await target.registry.insertDatasets(session, pending);
      if (chain && options.chain) {
        const runs: string[] = [];
        for (const run of options.chain.runs) if (await findCollection(session, schema, run)) runs.push(run);
        await prependChildren(session, schema, chain, runs);
      }
    });
  } catch (error) {
    await Promise.allSettled(written.map((path) => target.datastore.remove(path)));
    throw error;
  }
  return {
    transferred: pending.length,
    skipped: datasets.length - pending.length,
    bytes: pending.reduce((sum, d) => sum + d.record.sizeBytes, 0),
    dimensionRecords,
  };
}

export function describeDataset(dataset: StoredDataset): string {
  return `${dataset.datasetType} ${dataIdKey(dataset.dataId)} in ${dataset.run}`;
}
