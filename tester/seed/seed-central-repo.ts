// seed-central-repo: a central repo the service can run against, from the synthetic generator, for
// the sky the curated groups point at: instrument, detectors and filters; every input dataset type
// the instrument's pipelines declare; master bias/dark/flat and defects per detector certified into
// `<INST>/calib` from 2000-01-01, open-ended; deep templates on the instrument's skymap in
// `<INST>/templates`; refcat shards (HTM 7) in `refcats`; and `<INST>/defaults` chaining them.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LsstAmpSize } from '../../service/domain/camera-geometry/amp-layout';
import { inputCollections } from '../../service/domain/collections';
import { imageHdu, writeFits } from '../../service/domain/fits';
import { type InstrumentName, instrumentByName } from '../../service/domain/instruments';
import { datasetTypeDefinition } from '../../service/domain/repo/dataset-type';
import { htmIndex, REFCAT_HTM_LEVEL } from '../../service/domain/sky/htm';
import {
  boxCorners,
  patchGeometry,
  skymapByName,
  tractCount,
  tractGeometry,
} from '../../service/domain/sky/skymap';
import { parsePipeline } from '../../service/pipeline/engine/pipeline-file';
import type { Defects } from '../../service/pipeline/tasks/isr/calibrations';
import type { Repo } from '../../service/repo/repo';
import { codecFor } from '../../service/repo/storage-codecs';
import { detectorWcs } from '../camera/detector-wcs';
import { type CuratedPool, poolDetectors } from '../pool/curated-groups';
import { calibrationSeed, poolGeometry, starsOfField } from '../pool/simulate-pool-raw';
import type { SkyStar } from '../sky/sky-model';
import { calibrationHdus, makeMasterCalibrations } from '../synthetic/master-calibrations';
import { refcatTableHdu } from './refcat-table';
import { patchesUnderDetector, templateHdus } from './templates';

export interface SeedOptions {
  readonly repo: Repo;
  readonly pool: CuratedPool;
  readonly pipelinesDir: string;
  readonly ampSize?: LsstAmpSize;
  readonly onStep?: (step: string, done: number, total: number) => void;
}

export interface SeedReport {
  readonly instrument: InstrumentName;
  readonly datasetTypes: number;
  readonly calibrations: number;
  readonly templates: number;
  readonly refcatShards: number;
  readonly collections: Readonly<Record<string, string>>;
}

export const CALIBRATION_VALID_FROM = new Date('2000-01-01T00:00:00Z');

/**
 * Puts a dataset unless the run has it already (a rerun after a partial seed fills in the rest);
 * `created` says whether this call wrote it.
 */
async function putOnce(
  repo: Repo,
  datasetType: string,
  dataId: Record<string, unknown>,
  run: string,
  make: () => Uint8Array,
  extension = 'fits',
): Promise<{ id: string; created: boolean }> {
  const existing = await repo.registry.queryDatasets({ datasetType, collections: [run], where: dataId });
  if (existing[0]) return { id: existing[0].id, created: false };
  return { id: (await repo.put(datasetType, dataId, run, make(), extension)).id, created: true };
}

/** Every repository input the instrument's pipeline files declare, as dataset type definitions. */
export function declaredInputs(pipelinesDir: string, instrument: InstrumentName) {
  const dir = join(pipelinesDir, instrument);
  const byName = new Map<string, ReturnType<typeof datasetTypeDefinition>>();
  for (const file of readdirSync(dir)
    .filter((f) => f.endsWith('.yaml'))
    .sort()) {
    const pipeline = parsePipeline(readFileSync(join(dir, file), 'utf8'), join(dir, file));
    for (const [name, input] of Object.entries(pipeline.inputs)) {
      byName.set(
        name,
        datasetTypeDefinition({
          name,
          dimensions: input.dimensions,
          storageClass: input.storageClass,
          isCalibration: input.calibration,
        }),
      );
    }
  }
  return [...byName.values()];
}

export async function seedCentralRepo(options: SeedOptions): Promise<SeedReport> {
  const { repo, pool } = options;
  const instrument = instrumentByName(pool.instrument);
  const registry = repo.registry;
  const collections = inputCollections(instrument.name);
  const runs = {
    calib: `${collections.calib}/synthetic`,
    templates: `${collections.templates}/deep`,
    refcats: `${collections.refcats}/synthetic`,
    skymaps: `${collections.skymaps}/synthetic`,
  };
  // Dimensions: instrument, detectors, physical filters.
  await registry.insertDimensionRecords(
    'instrument',
    [{ instrument: instrument.name, detector_max: Math.max(...instrument.detectors.map((d) => d.id)) + 1 }],
    { skipExisting: true },
  );
  await registry.insertDimensionRecords(
    'detector',
    instrument.detectors.map((d) => ({ instrument: instrument.name, detector: d.id, full_name: d.name })),
    { skipExisting: true },
  );
  const filters = new Map(pool.groups.map((g) => [g.physicalFilter, g.band]));
  await registry.insertDimensionRecords(
    'physical_filter',
    [...filters].map(([physical_filter, band]) => ({ instrument: instrument.name, physical_filter, band })),
    { skipExisting: true },
  );
  const types = declaredInputs(options.pipelinesDir, instrument.name);
  for (const type of types) await registry.registerDatasetType(type);
  await registry.registerCollection(collections.calib, 'CALIBRATION');
  for (const run of Object.values(runs)) await registry.registerCollection(run, 'RUN');
  await registry.registerCollection(collections.templates, 'CHAINED');
  await registry.setChain(collections.templates, [runs.templates]);
  await registry.registerCollection(collections.refcats, 'CHAINED');
  await registry.setChain(collections.refcats, [runs.refcats]);
  await registry.registerCollection(collections.skymaps, 'CHAINED');
  await registry.setChain(collections.skymaps, [runs.skymaps]);
  await registry.registerCollection(collections.defaults, 'CHAINED');
  await registry.setChain(collections.defaults, [
    collections.calib,
    collections.templates,
    collections.refcats,
    collections.skymaps,
  ]);

  const calibrations = await seedCalibrations(options, runs.calib, collections.calib, [...filters.keys()]);
  const templates = await seedTemplates(options, runs.templates);
  const refcatShards = await seedRefcat(options, runs.refcats);
  return {
    instrument: instrument.name,
    datasetTypes: types.length,
    calibrations,
    templates,
    refcatShards,
    collections: {
      defaults: collections.defaults,
      calib: collections.calib,
      templates: collections.templates,
      refcats: collections.refcats,
      skymaps: collections.skymaps,
      ...Object.fromEntries(Object.entries(runs).map(([k, v]) => [`${k}Run`, v])),
    },
  };
}

async function seedCalibrations(
  options: SeedOptions,
  run: string,
  calibCollection: string,
  filters: string[],
) {
  const { repo, pool } = options;
  const detectors = poolDetectors(pool);
  const ids: string[] = [];
  let total = 0;
  for (const [i, detector] of detectors.entries()) {
    const geometry = poolGeometry(pool.instrument, detector, options.ampSize);
    const calibs = makeMasterCalibrations(geometry, { seed: calibrationSeed(pool.instrument, detector) });
    const base = { instrument: pool.instrument, detector };
    const put = async (
      type: 'bias' | 'dark' | 'flat',
      pixels: Float32Array,
      dataId: Record<string, unknown>,
      filter?: string,
    ) => {
      const stored = await putOnce(repo, type, dataId, run, () =>
        writeFits(calibrationHdus(type, pixels, geometry, filter)),
      );
      // Only new datasets are certified: the earlier ones hold their validity range already.
      if (stored.created) ids.push(stored.id);
      total++;
    };
    await put('bias', calibs.bias, base);
    await put('dark', calibs.dark, base);
    for (const filter of filters)
      await put('flat', calibs.flat, { ...base, physical_filter: filter }, filter);
    // The hot columns and dead boxes the raws carry, so ISR masks and interpolates them (without this
    // dataset a hot column shows up in every difference image as a line of DIA sources).
    const defects: Defects = { boxes: calibs.defects.map((d) => d.box) };
    const storedDefects = await putOnce(
      repo,
      'defects',
      base,
      run,
      () => codecFor('Defects').encode(defects),
      'json',
    );
    if (storedDefects.created) ids.push(storedDefects.id);
    total++;
    options.onStep?.('calibrations', i + 1, detectors.length);
  }
  if (ids.length > 0) await repo.registry.certify(calibCollection, ids, { begin: CALIBRATION_VALID_FROM });
  return total;
}

async function seedTemplates(options: SeedOptions, run: string): Promise<number> {
  const { repo, pool } = options;
  const instrument = instrumentByName(pool.instrument);
  const map = skymapByName(instrument.skymap);
  const wanted = new Map<string, { tract: number; patch: number; band: string; stars: SkyStar[] }>();
  for (const group of pool.groups.filter((g) => g.hasTemplate)) {
    const stars = starsOfField(group);
    for (const detector of group.detectors) {
      const geometry = poolGeometry(pool.instrument, detector, options.ampSize);
      const wcs = detectorWcs(geometry, { raDeg: group.raDeg, decDeg: group.decDeg });
      for (const p of patchesUnderDetector(map, geometry, wcs))
        wanted.set(`${p.tract}/${p.patch}/${group.band}`, { ...p, band: group.band, stars });
    }
  }
  const tracts = [...new Set([...wanted.values()].map((w) => w.tract))].map((t) => tractGeometry(map, t));
  await repo.registry.insertDimensionRecords(
    'skymap',
    [
      {
        skymap: map.name,
        hash: JSON.stringify(map),
        tract_max: tractCount(map),
        patch_nx_max: Math.max(0, ...tracts.map((t) => t.patchesX)),
        patch_ny_max: Math.max(0, ...tracts.map((t) => t.patchesY)),
      },
    ],
    { skipExisting: true },
  );
  await repo.registry.insertDimensionRecords(
    'tract',
    tracts.map((t) => ({
      skymap: map.name,
      tract: t.id,
      region: {
        polygon: boxCorners(t.wcs, t.patchesX * map.patchInnerPixels, t.patchesY * map.patchInnerPixels).map(
          (c) => [c.ra, c.dec],
        ),
      },
    })),
    { skipExisting: true },
  );
  let done = 0;
  for (const want of wanted.values()) {
    const tract = tracts.find((t) => t.id === want.tract);
    if (!tract) continue;
    const patch = patchGeometry(map, tract, want.patch);
    await repo.registry.insertDimensionRecords(
      'patch',
      [
        {
          skymap: map.name,
          tract: tract.id,
          patch: patch.id,
          region: { polygon: boxCorners(patch.wcs, patch.width, patch.height).map((c) => [c.ra, c.dec]) },
        },
      ],
      { skipExisting: true },
    );
    await putOnce(
      repo,
      'template_coadd',
      { skymap: map.name, tract: tract.id, patch: patch.id, band: want.band },
      run,
      () => writeFits(templateHdus(map, patch, want.band, want.stars)),
    );
    options.onStep?.('templates', ++done, wanted.size);
  }
  return wanted.size;
}

async function seedRefcat(options: SeedOptions, run: string): Promise<number> {
  const shards = new Map<number, SkyStar[]>();
  const fields = new Set<string>();
  for (const group of options.pool.groups) {
    const field = `${Math.round(group.raDeg * 10)}/${Math.round(group.decDeg * 10)}`;
    if (fields.has(field)) continue;
    fields.add(field);
    for (const star of starsOfField(group)) {
      const id = htmIndex(star.ra, star.dec, REFCAT_HTM_LEVEL);
      const shard = shards.get(id) ?? [];
      shard.push(star);
      shards.set(id, shard);
    }
  }
  let done = 0;
  for (const [id, stars] of shards) {
    await putOnce(options.repo, 'refcat', { [`htm${REFCAT_HTM_LEVEL}`]: id }, run, () =>
      writeFits([imageHdu(new Uint8Array(0), []), refcatTableHdu(stars)]),
    );
    options.onStep?.('refcat', ++done, shards.size);
  }
  return shards.size;
}
