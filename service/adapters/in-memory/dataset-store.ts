// An in-process dataset store: a genuine repository for one process (the embedded default and the
// tests), keyed by dataset type and data ID. Partial data IDs match any dataset that agrees on the
// dimensions they do give.

import type { DataId, DatasetRef, DatasetStore } from '../../ports/dataset-repository';

export interface StoredDataset {
  readonly run: string;
  readonly datasetType: string;
  readonly dataId: DataId;
  readonly storageClass: string;
  readonly value: unknown;
}

export class InMemoryDatasetStore implements DatasetStore {
  private readonly byType = new Map<string, StoredDataset[]>();

  async exists(ref: DatasetRef): Promise<boolean> {
    return this.find(ref) !== undefined;
  }

  async get(ref: DatasetRef): Promise<unknown> {
    return this.find(ref)?.value;
  }

  async getAll(ref: DatasetRef): Promise<unknown[]> {
    const found = (this.byType.get(ref.datasetType) ?? []).filter((d) => matches(d.dataId, ref.dataId));
    return found
      .filter((d, i) => found.findIndex((e) => sameDataId(e.dataId, d.dataId)) === i)
      .map((d) => d.value);
  }

  async put(run: string, ref: DatasetRef, storageClass: string, value: unknown): Promise<void> {
    const list = this.byType.get(ref.datasetType) ?? [];
    const existing = list.findIndex((d) => d.run === run && sameDataId(d.dataId, ref.dataId));
    const stored: StoredDataset = {
      run,
      datasetType: ref.datasetType,
      dataId: { ...ref.dataId },
      storageClass,
      value,
    };
    if (existing >= 0) {
      throw new Error(
        `${ref.datasetType} ${JSON.stringify(ref.dataId)} already exists in run ${run}: write to a new run`,
      );
    }
    list.push(stored);
    this.byType.set(ref.datasetType, list);
  }

  /** Every stored dataset, in insertion order per dataset type (for tests and exports). */
  datasets(): StoredDataset[] {
    return [...this.byType.values()].flat();
  }

  private find(ref: DatasetRef): StoredDataset | undefined {
    return this.byType.get(ref.datasetType)?.find((d) => matches(d.dataId, ref.dataId));
  }
}

function matches(stored: DataId, query: DataId): boolean {
  return Object.entries(query).every(([key, value]) => stored[key] === value);
}

function sameDataId(a: DataId, b: DataId): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((k) => a[k] === b[k]);
}
