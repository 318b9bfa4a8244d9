// What a visit needs from the central repo before its raws arrive (upstream prep_butler): for every
// repository input of the candidate pipelines, the calibration valid at the visit's time, the
// templates whose patches overlap the detector's padded region, the refcat shards (htm7) covering
// it, and other inputs by data id. They are transferred into the local repo; raws and per-visit
// products are not preloaded.

import type { InputCollections } from '../domain/collections';
import { htmEnvelope, REFCAT_HTM_LEVEL } from '../domain/sky/htm';
import { normalize, type SkyCircle, separationDeg, unitVector } from '../domain/sky/sky-circle';
import type { DatasetTypeNode, PipelineGraph } from '../pipeline/engine/pipeline-graph';
import type { StoredDataset } from '../registry/datasets';
import type { Repo } from '../repo/repo';

export interface PreloadRequest {
  readonly central: Repo;
  readonly graphs: readonly PipelineGraph[];
  readonly collections: InputCollections;
  readonly instrument: string;
  readonly detector: number;
  /** Physical filter of the visit; '' when unknown (filter-dependent inputs are then skipped). */
  readonly physicalFilter: string;
  readonly skymap: string;
  readonly region: SkyCircle;
  /** Calibrations valid at this instant are chosen. */
  readonly time: Date;
  readonly signal: AbortSignal;
}

/** Dimensions only a visit's own data has: nothing of them can be preloaded. */
const PER_VISIT = ['exposure', 'visit', 'group', 'day_obs'];

function repositoryInputs(graphs: readonly PipelineGraph[]): DatasetTypeNode[] {
  const byName = new Map<string, DatasetTypeNode>();
  for (const graph of graphs)
    for (const input of graph.repositoryInputs) byName.set(input.datasetType.name, input.datasetType);
  return [...byName.values()].filter((t) => !t.dimensions.some((d) => PER_VISIT.includes(d)));
}

interface RegionJson {
  raDeg?: number;
  decDeg?: number;
  radiusDeg?: number;
  vertices?: readonly (readonly [number, number])[];
  /** The skymap records' form: `{ polygon: [[ra, dec], …] }`. */
  polygon?: readonly (readonly [number, number])[];
}

/** A circle bounding a stored region (circle or polygon); undefined when the shape is unknown. */
export function boundingCircle(region: unknown): SkyCircle | undefined {
  const r = region as RegionJson | readonly (readonly [number, number])[] | null;
  if (!r) return undefined;
  if (!Array.isArray(r)) {
    const c = r as RegionJson;
    if (typeof c.raDeg === 'number' && typeof c.decDeg === 'number' && typeof c.radiusDeg === 'number')
      return { raDeg: c.raDeg, decDeg: c.decDeg, radiusDeg: c.radiusDeg };
  }
  const vertices = Array.isArray(r) ? r : ((r as RegionJson).vertices ?? (r as RegionJson).polygon);
  if (!vertices || vertices.length === 0) return undefined;
  let x = 0;
  let y = 0;
  let z = 0;
  for (const [ra, dec] of vertices) {
    const v = unitVector(ra, dec);
    x += v.x;
    y += v.y;
    z += v.z;
  }
  const centre = normalize(x, y, z);
  const raDeg = ((Math.atan2(centre.y, centre.x) * 180) / Math.PI + 360) % 360;
  const decDeg = (Math.asin(centre.z) * 180) / Math.PI;
  const radiusDeg = Math.max(...vertices.map(([ra, dec]) => separationDeg(raDeg, decDeg, ra, dec)));
  return { raDeg, decDeg, radiusDeg };
}

function overlaps(a: SkyCircle, b: SkyCircle): boolean {
  return separationDeg(a.raDeg, a.decDeg, b.raDeg, b.decDeg) <= a.radiusDeg + b.radiusDeg;
}

async function collectionExists(repo: Repo, name: string): Promise<boolean> {
  try {
    await repo.registry.flattenCollections([name]);
    return true;
  } catch {
    return false;
  }
}

async function bandOf(request: PreloadRequest): Promise<string | undefined> {
  if (!request.physicalFilter) return undefined;
  const [record] = await request.central.registry.dimensionRecords('physical_filter', {
    instrument: request.instrument,
    physical_filter: request.physicalFilter,
  });
  return typeof record?.band === 'string' ? record.band : undefined;
}

async function calibration(request: PreloadRequest, type: DatasetTypeNode): Promise<StoredDataset[]> {
  const values: Record<string, string | number> = {
    instrument: request.instrument,
    detector: request.detector,
    physical_filter: request.physicalFilter,
  };
  if (type.dimensions.some((d) => values[d] === undefined || values[d] === '')) return [];
  const dataId = Object.fromEntries(type.dimensions.map((d) => [d, values[d]]));
  const found = await request.central.registry.findCalibration(
    type.name,
    dataId,
    [request.collections.calib],
    request.time,
  );
  return found ? [found] : [];
}

async function refcatShards(request: PreloadRequest, type: DatasetTypeNode): Promise<StoredDataset[]> {
  const datasets: StoredDataset[] = [];
  for (const range of htmEnvelope(request.region, REFCAT_HTM_LEVEL, 16)) {
    for (let shard = range.begin; shard < range.end; shard++) {
      request.signal.throwIfAborted();
      datasets.push(
        ...(await request.central.registry.queryDatasets({
          datasetType: type.name,
          collections: [request.collections.refcats],
          where: { htm7: shard },
        })),
      );
    }
  }
  return datasets;
}

async function templates(request: PreloadRequest, type: DatasetTypeNode): Promise<StoredDataset[]> {
  const band = type.dimensions.includes('band') ? await bandOf(request) : undefined;
  if (type.dimensions.includes('band') && band === undefined) return [];
  const candidates = await request.central.registry.queryDatasets({
    datasetType: type.name,
    collections: [request.collections.templates],
    where: { skymap: request.skymap, ...(band ? { band } : {}) },
  });
  const patchRegions = new Map<string, SkyCircle | undefined>();
  const kept: StoredDataset[] = [];
  for (const dataset of candidates) {
    const { tract, patch } = dataset.dataId;
    const key = `${tract}/${patch}`;
    if (!patchRegions.has(key)) {
      const [record] = await request.central.registry.dimensionRecords('patch', {
        skymap: request.skymap,
        tract: Number(tract),
        patch: Number(patch),
      });
      patchRegions.set(key, boundingCircle(record?.region));
    }
    const region = patchRegions.get(key);
    // A patch without a usable region cannot be judged; preloading it is the safe side.
    if (!region || overlaps(region, request.region)) kept.push(dataset);
  }
  return kept;
}

async function byDataId(request: PreloadRequest, type: DatasetTypeNode): Promise<StoredDataset[]> {
  const values: Record<string, string | number> = {
    instrument: request.instrument,
    detector: request.detector,
    skymap: request.skymap,
  };
  if (request.physicalFilter) values.physical_filter = request.physicalFilter;
  const where = Object.fromEntries(
    type.dimensions.filter((d) => values[d] !== undefined).map((d) => [d, values[d] as string | number]),
  );
  return request.central.registry.queryDatasets({
    datasetType: type.name,
    collections: [request.collections.defaults],
    where,
  });
}

/** The central datasets to copy into the local repo for these pipelines and this detector. */
export async function findPreloadDatasets(request: PreloadRequest): Promise<StoredDataset[]> {
  const found: StoredDataset[] = [];
  const known = new Map<string, boolean>();
  const has = async (collection: string) => {
    if (!known.has(collection)) known.set(collection, await collectionExists(request.central, collection));
    return known.get(collection) === true;
  };
  for (const type of repositoryInputs(request.graphs)) {
    request.signal.throwIfAborted();
    if (!(await request.central.registry.datasetType(type.name))) continue;
    if (type.calibration) {
      if (await has(request.collections.calib)) found.push(...(await calibration(request, type)));
    } else if (type.dimensions.includes('htm7')) {
      if (await has(request.collections.refcats)) found.push(...(await refcatShards(request, type)));
    } else if (type.dimensions.includes('patch')) {
      if (await has(request.collections.templates)) found.push(...(await templates(request, type)));
    } else if (await has(request.collections.defaults)) {
      found.push(...(await byDataId(request, type)));
    }
  }
  return found;
}

/** Registers the datasets' types in the local repo with the central definitions (transfer checks them). */
export async function registerTypesLike(local: Repo, central: Repo, datasets: readonly StoredDataset[]) {
  for (const name of new Set(datasets.map((d) => d.datasetType))) {
    const definition = await central.registry.datasetType(name);
    if (definition) await local.registry.registerDatasetType(definition);
  }
}
