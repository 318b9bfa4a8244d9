// The pipeline engine's DatasetStore over a repo (the per-visit local repo): lookups search a list of
// collections, reads decode the file by its dataset type's storage class, writes register the output
// dataset type and run on first use and store the encoded value as a dataset.

import { detectorGeometryForRaw } from '../domain/camera-geometry/camera-geometry';
import type { FitsFile } from '../domain/fits';
import { isInstrumentName } from '../domain/instruments';
import { datasetTypeDefinition } from '../domain/repo/dataset-type';
import type { ReferenceCatalog } from '../domain/wcs/refine-wcs';
import { type RawExposure, rawExposureFromFits } from '../pipeline/tasks/isr/raw-exposure';
import type { DatasetRef, DatasetStore } from '../ports/dataset-repository';
import type { StoredDataset } from '../registry/datasets';
import type { Repo } from './repo';
import { codecFor, referenceCatalogCodec } from './storage-codecs';

/** A stored raw file as ISR takes it: read with the geometry of the detector its data id names. */
function rawExposureOf(file: FitsFile, dataset: StoredDataset): RawExposure {
  const { instrument, detector } = dataset.dataId;
  if (typeof instrument !== 'string' || !isInstrumentName(instrument) || typeof detector !== 'number') {
    throw new Error(`raw ${dataset.id} has no instrument and detector in its data id`);
  }
  const firstAmp = file.hdus[1] ?? file.hdus[0];
  const width = firstAmp?.header.number('NAXIS1') ?? 0;
  const height = firstAmp?.header.number('NAXIS2') ?? 0;
  return rawExposureFromFits(file, detectorGeometryForRaw(instrument, detector, { width, height }));
}

export class RepoDatasetStore implements DatasetStore {
  private readonly registeredRuns = new Set<string>();

  /** @param collections searched in order for inputs (every one must exist in the repo) */
  constructor(
    readonly repo: Repo,
    private readonly collections: readonly string[],
  ) {}

  async exists(ref: DatasetRef): Promise<boolean> {
    return (await this.find(ref)) !== undefined;
  }

  async get(ref: DatasetRef): Promise<unknown> {
    const found = await this.find(ref);
    if (!found) return undefined;
    const type = await this.repo.registry.datasetType(found.datasetType);
    if (type?.storageClass === 'ReferenceCatalog') return this.mergedShards(ref, found.run);
    return this.decode(found);
  }

  private async decode(found: StoredDataset): Promise<unknown> {
    const type = await this.repo.registry.datasetType(found.datasetType);
    const decoded = codecFor(type?.storageClass ?? '').decode(await this.repo.get(found));
    return type?.storageClass === 'Raw' ? rawExposureOf(decoded as FitsFile, found) : decoded;
  }

  async getAll(ref: DatasetRef): Promise<unknown[]> {
    if (!(await this.repo.registry.datasetType(ref.datasetType))) return [];
    const seen = new Set<string>();
    const values: unknown[] = [];
    for (const collection of this.collections) {
      const found = await this.repo.registry.queryDatasets({
        datasetType: ref.datasetType,
        collections: [collection],
        where: ref.dataId,
      });
      for (const dataset of found) {
        const key = JSON.stringify(Object.entries(dataset.dataId).sort(([a], [b]) => a.localeCompare(b)));
        if (seen.has(key)) continue;
        seen.add(key);
        values.push(await this.decode(dataset));
      }
    }
    return values;
  }

  async put(run: string, ref: DatasetRef, storageClass: string, value: unknown): Promise<void> {
    await this.repo.registry.registerDatasetType(
      datasetTypeDefinition({ name: ref.datasetType, dimensions: Object.keys(ref.dataId), storageClass }),
    );
    if (!this.registeredRuns.has(run)) {
      await this.repo.registry.registerCollection(run, 'RUN');
      this.registeredRuns.add(run);
    }
    const codec = codecFor(storageClass);
    await this.repo.put(ref.datasetType, ref.dataId, run, codec.encode(value), codec.extension);
  }

  /**
   * Every shard of a reference catalog the ref matches in the run that holds the first one, as one
   * catalog: the preload brought exactly the shards overlapping the detector.
   */
  private async mergedShards(ref: DatasetRef, run: string): Promise<ReferenceCatalog> {
    const shards = await this.repo.registry.queryDatasets({
      datasetType: ref.datasetType,
      collections: [run],
      where: ref.dataId,
    });
    const catalogs: ReferenceCatalog[] = [];
    for (const shard of shards)
      catalogs.push(referenceCatalogCodec.decode(await this.repo.get(shard)) as ReferenceCatalog);
    const concat = (pick: (c: ReferenceCatalog) => Float64Array) => {
      const out = new Float64Array(catalogs.reduce((n, c) => n + pick(c).length, 0));
      let at = 0;
      for (const c of catalogs) {
        out.set(pick(c), at);
        at += pick(c).length;
      }
      return out;
    };
    return { ra: concat((c) => c.ra), dec: concat((c) => c.dec) };
  }

  /** The first dataset matching the ref in the search path (partial data ids match any value). */
  private async find(ref: DatasetRef): Promise<StoredDataset | undefined> {
    if (!(await this.repo.registry.datasetType(ref.datasetType))) return undefined;
    for (const collection of this.collections) {
      const [first] = await this.repo.registry.queryDatasets({
        datasetType: ref.datasetType,
        collections: [collection],
        where: ref.dataId,
      });
      if (first) return first;
    }
    return undefined;
  }
}
