// The shipped Isr and SingleFrame pipelines run end to end through the engine, for every instrument,
// on a synthetic raw of a star field with master calibrations, all read from the files the tester
// writes and stored as datasets. Detection is scored against the injected stars through the whole
// chain (raw → ISR → mesh background → PSF → detection), and a missing calibration is reported
// before execution.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { InMemoryDatasetStore } from '../../../service/adapters/in-memory/dataset-store';
import { detectorGeometry } from '../../../service/domain/camera-geometry';
import { Header } from '../../../service/domain/fits';
import type { Exposure } from '../../../service/domain/image/exposure';
import type { InstrumentName } from '../../../service/domain/instruments';
import type { SourceCatalog } from '../../../service/domain/measurement/source-catalog';
import { completeness, matchToTruth } from '../../../service/domain/synthetic/match-truth';
import { renderStarField, type StarField } from '../../../service/domain/synthetic/star-field';
import type { AstrometricSolution } from '../../../service/domain/wcs/refine-wcs';
import { pixelToSky, separationArcsec, tanWcsFromHeader } from '../../../service/domain/wcs/tan-wcs';
import { PipelineExecutionError } from '../../../service/pipeline/engine/errors';
import { executePipeline } from '../../../service/pipeline/engine/execute-pipeline';
import { loadPipelineGraph } from '../../../service/pipeline/engine/load-pipeline';
import { findMissingInputs } from '../../../service/pipeline/engine/missing-inputs';
import {
  chooseRunnablePipeline,
  NoRunnablePipelineError,
} from '../../../service/pipeline/run-first-runnable';
import { defaultTaskRegistry } from '../../../service/pipeline/tasks/default-task-registry';
import type { DataId } from '../../../service/ports/dataset-repository';
import {
  type IngestOptions,
  ingestSyntheticExposure,
} from '../../../tester/synthetic/ingest-synthetic-exposure';
import {
  type SyntheticExposure,
  writeSyntheticDetectorExposure,
} from '../../../tester/synthetic/synthetic-exposure';
import { repoRoot } from '../../support/local-services';
import { cramerRaoX, isIsolated, mean, standardDeviation } from '../measurement/star-field-fixture';

const directory = mkdtempSync(path.join(tmpdir(), 'isr-single-frame-'));
afterAll(() => rmSync(directory, { recursive: true, force: true }));

const pipelineFile = (instrument: string, name: string) =>
  path.join(repoRoot, 'pipelines', instrument, `${name}.yaml`);
const load = (file: string) => loadPipelineGraph(file, defaultTaskRegistry());

/** One detector per camera: LSST amps scaled to 256×256 (prescan and overscan kept); HSC full size. */
const CASES: readonly { instrument: InstrumentName; detector: number }[] = [
  { instrument: 'LATISS', detector: 0 },
  { instrument: 'LSSTComCam', detector: 4 },
  { instrument: 'LSSTCam', detector: 94 },
  { instrument: 'HSC', detector: 50 },
];
const AMP = { dataWidth: 256, dataHeight: 256 };
const FWHM = 4;
const EDGE = 3 * FWHM;
/** Rendering, simulating, writing, reading and processing a detector takes a few seconds. */
const SLOW = 60_000;

interface Prepared {
  readonly made: SyntheticExposure;
  readonly field: StarField;
  readonly store: InMemoryDatasetStore;
  readonly dataId: DataId;
}

async function prepare(
  instrument: InstrumentName,
  detector: number,
  seed: number,
  ingest: IngestOptions = {},
  ampSize = AMP,
): Promise<Prepared> {
  const geometry = detectorGeometry(instrument, detector, instrument === 'HSC' ? {} : { ampSize });
  const field = renderStarField({
    width: geometry.width,
    height: geometry.height,
    seed,
    starCount: Math.round(geometry.width * geometry.height * 2.5e-4),
    fwhmPixels: FWHM,
    faintestFlux: 300,
    brightestFlux: 3e5,
    skyElectrons: 800,
    readNoise: 6,
  });
  const made = writeSyntheticDetectorExposure(path.join(directory, `${instrument}-${seed}`), {
    instrument,
    detector,
    seed,
    electrons: field.expected,
    compress: instrument !== 'HSC',
    ...(instrument === 'HSC' ? {} : { ampSize }),
  });
  const store = new InMemoryDatasetStore();
  const dataId = await ingestSyntheticExposure(store, made, ingest);
  return { made, field, store, dataId };
}

/** One exposure per camera, shared by the Isr and SingleFrame runs (they write to different runs). */
const shared = new Map<string, Promise<Prepared>>();
function sharedExposure(instrument: InstrumentName, detector: number): Promise<Prepared> {
  const existing = shared.get(instrument);
  if (existing !== undefined) return existing;
  const made = prepare(instrument, detector, 101);
  shared.set(instrument, made);
  return made;
}

/** The reference catalog: every injected star through the header's (true) WCS. */
async function addReferenceCatalog(prepared: Prepared, raw: Header): Promise<void> {
  const wcs = tanWcsFromHeader(raw);
  const { x, y } = prepared.field.truth;
  const ra = new Float64Array(x.length);
  const dec = new Float64Array(x.length);
  for (let k = 0; k < x.length; k++) {
    const sky = pixelToSky(wcs, x[k] as number, y[k] as number);
    ra[k] = sky.ra;
    dec[k] = sky.dec;
  }
  await prepared.store.put('refcats', { datasetType: 'refcat', dataId: { htm7: 1 } }, 'ReferenceCatalog', {
    ra,
    dec,
  });
}

/** The one dataset of this type written into `run` (outputs carry their type's dimensions only). */
function output<T>(store: InMemoryDatasetStore, datasetType: string, run: string): T {
  const found = store.datasets().filter((d) => d.datasetType === datasetType && d.run === run);
  if (found.length !== 1) throw new Error(`${datasetType}: ${found.length} datasets in ${run}, expected 1`);
  return found[0]?.value as T;
}

function inside(field: StarField, k: number): boolean {
  const x = field.truth.x[k] as number;
  const y = field.truth.y[k] as number;
  return x >= EDGE && y >= EDGE && x <= field.width - 1 - EDGE && y <= field.height - 1 - EDGE;
}

describe('Isr.yaml through the engine', () => {
  it.each(CASES)(
    '$instrument: writes post_isr_image, the sky back in electrons',
    async ({ instrument, detector }) => {
      const prepared = await sharedExposure(instrument, detector);
      const { store, dataId, made, field } = prepared;
      const graph = await load(pipelineFile(instrument, 'Isr'));
      expect((await findMissingInputs(graph, dataId, store)).missing).toEqual([]);
      const run = `${instrument}/runs/isr`;
      const report = await executePipeline(graph, { dataId, store, run });
      expect(report.outputs.map((r) => r.datasetType)).toEqual(['post_isr_image']);
      const exposure = output<Exposure>(store, 'post_isr_image', run);
      expect([exposure.width, exposure.height]).toEqual([made.geometry.width, made.geometry.height]);
      expect(exposure.info?.instrument).toBe(instrument);
      expect(exposure.metadata.get('CTYPE1')).toBe('RA---TAN');
      // The median pixel is sky (stars cover a few % of pixels): 800 e- within a few e-.
      const sorted = Float32Array.from(exposure.image).sort();
      expect(Math.abs((sorted[sorted.length >> 1] as number) - field.skyElectrons)).toBeLessThan(8);
      // The defects are flagged BAD.
      const defect = made.calibrations?.defects[0]?.box;
      if (defect === undefined) throw new Error('no defects simulated');
      expect((exposure.mask[defect.y0 * exposure.width + defect.x0] as number) & 1).not.toBe(0);
    },
    SLOW,
  );
});

describe('SingleFrame.yaml through the engine', () => {
  const datasetTypes = [
    'post_isr_image',
    'post_isr_visit_image',
    'preliminary_visit_image',
    'preliminary_visit_image_background',
    'preliminary_visit_image_psf',
    'single_visit_source_pixels',
    'preliminary_visit_astrometry',
    'single_visit_star_unstandardized',
  ];

  it.each(CASES)(
    '$instrument: from a raw to sources with RA/Dec; ≥ 98 % of SNR ≥ 10 stars found within 1 px',
    async ({ instrument, detector }) => {
      const prepared = await sharedExposure(instrument, detector);
      const { store, dataId, field } = prepared;
      const raw = await store.get({ datasetType: 'raw', dataId });
      await addReferenceCatalog(prepared, (raw as { metadata: Header }).metadata);
      const graph = await load(pipelineFile(instrument, 'SingleFrame'));
      const run = `${instrument}/runs/sfm`;
      const report = await executePipeline(graph, { dataId, store, run });
      expect(report.outputs.map((r) => r.datasetType)).toEqual(datasetTypes);
      const image = output<Exposure>(store, 'preliminary_visit_image', run);
      const sorted = Float32Array.from(image.image).sort();
      expect(Math.abs(sorted[sorted.length >> 1] as number)).toBeLessThan(3);
      const sources = output<SourceCatalog>(store, 'single_visit_star_unstandardized', run);
      const detectionOf = matchToTruth(field.truth, sources, 1);
      const bright = (k: number) => (field.truth.snr[k] as number) >= 10 && inside(field, k);
      expect(completeness(detectionOf, bright)).toBeGreaterThanOrEqual(0.98);
      const astrometry = output<AstrometricSolution>(store, 'preliminary_visit_astrometry', run);
      expect(astrometry.source).toBe('refined');
      // The refined WCS agrees with the true one over the detector, to what an affine fit of
      // `matchCount` stars with residual RMS σ allows at the corners: σ·√(7/N) per axis (1/N for the
      // shift, 3/N for each linear term at the lever arm of a corner of a uniform field), ×5 and ×√2.
      const allowed = 5 * Math.SQRT2 * astrometry.rmsPixels * Math.sqrt(7 / astrometry.matchCount);
      expect(astrometry.matchCount).toBeGreaterThanOrEqual(30);
      expect(astrometry.rmsPixels).toBeLessThan(0.3);
      const truthWcs = tanWcsFromHeader((raw as { metadata: Header }).metadata);
      const { width, height, pixelScaleArcsec } = prepared.made.geometry;
      for (const [x, y] of [
        [0, 0],
        [width - 1, 0],
        [0, height - 1],
        [width - 1, height - 1],
        [width / 2, height / 2],
      ] as const) {
        const offset = separationArcsec(pixelToSky(truthWcs, x, y), pixelToSky(astrometry.wcs, x, y));
        expect(offset / pixelScaleArcsec).toBeLessThan(allowed);
      }
      // Every source has sky coordinates from it.
      expect(sources.ra?.length).toBe(sources.count);
    },
    SLOW,
  );

  it(
    'measures centroids within 1.5× the Cramér–Rao bound and flux pulls of unit width, through ISR',
    async () => {
      // 4096×1024 pixels: enough isolated stars for the statistics.
      const prepared = await prepare('LSSTCam', 94, 303, {}, { dataWidth: 512, dataHeight: 512 });
      const { store, dataId, field } = prepared;
      const graph = await load(pipelineFile('LSSTCam', 'SingleFrame'));
      const run = 'LSSTCam/runs/sfm';
      await executePipeline(graph, { dataId, store, run });
      const sources = output<SourceCatalog>(store, 'single_visit_source_pixels', run);
      const detectionOf = matchToTruth(field.truth, sources, 1);
      const ratios: number[] = [];
      const pulls: number[] = [];
      detectionOf.forEach((d, k) => {
        if (d < 0 || (field.truth.snr[k] as number) < 10 || !inside(field, k) || !isIsolated(field, k))
          return;
        if ((sources.flags[d] as number) !== 0) return;
        ratios.push((((sources.x[d] as number) - (field.truth.x[k] as number)) / cramerRaoX(field, k)) ** 2);
        const error = sources.psfFluxErr[d] as number;
        pulls.push(((sources.psfFlux[d] as number) - (field.truth.flux[k] as number)) / error);
      });
      expect(pulls.length).toBeGreaterThan(100);
      // Defects are interpolated in ISR, so a hot column does not break up into spurious sources.
      const starOf = matchToTruth(sources, field.truth, 1.5);
      expect(starOf.filter((k) => k < 0).length).toBeLessThan(0.02 * sources.count);
      expect(Math.sqrt(mean(ratios))).toBeLessThanOrEqual(1.5);
      const width = standardDeviation(pulls);
      expect(width).toBeGreaterThanOrEqual(0.8);
      expect(width).toBeLessThanOrEqual(1.3);
      expect(Math.abs(mean(pulls))).toBeLessThan(0.3);
    },
    SLOW,
  );
});

describe('missing calibrations', () => {
  it(
    'fails before execution without a flat: the flat is reported and no pipeline is chosen',
    async () => {
      const { store, dataId } = await prepare('LSSTCam', 94, 404, { omit: ['flat'] });
      const files = [pipelineFile('LSSTCam', 'SingleFrame'), pipelineFile('LSSTCam', 'Isr')];
      const { missing } = await findMissingInputs(await load(files[0] as string), dataId, store);
      expect(missing.map((m) => [m.ref.datasetType, m.readBy])).toEqual([['flat', ['isr']]]);
      const choice = chooseRunnablePipeline({ files, load, store, dataId });
      await expect(choice).rejects.toThrow(NoRunnablePipelineError);
      const error = await choice.catch((e: NoRunnablePipelineError) => e);
      expect((error as NoRunnablePipelineError).skipped.map((s) => s.reason)).toEqual([
        expect.stringContaining('flat'),
        expect.stringContaining('flat'),
      ]);
      expect(store.datasets().map((d) => d.datasetType)).not.toContain('post_isr_image');
    },
    SLOW,
  );

  it(
    'runs without the optional dark and defects, reporting them as absent',
    async () => {
      const { store, dataId } = await prepare('LATISS', 0, 505, { omit: ['dark', 'defects'] });
      const graph = await load(pipelineFile('LATISS', 'Isr'));
      const availability = await findMissingInputs(graph, dataId, store);
      expect(availability.missing).toEqual([]);
      expect(availability.absentOptional.map((m) => m.ref.datasetType)).toEqual(['dark', 'defects']);
      const report = await executePipeline(graph, { dataId, store, run: 'LATISS/runs/isr' });
      expect(report.outputs.map((r) => r.datasetType)).toEqual(['post_isr_image']);
    },
    SLOW,
  );

  it(
    'fails at ISR, naming the calibration, when the master bias is for another detector',
    async () => {
      const { store, dataId } = await prepare('LATISS', 0, 606, { omit: ['bias'] });
      const small = new Float32Array(16);
      await store.put(
        'LATISS/calib',
        { datasetType: 'bias', dataId: { instrument: 'LATISS', detector: 0 } },
        'Exposure',
        {
          width: 4,
          height: 4,
          image: small,
          variance: small,
          mask: new Uint16Array(16),
          metadata: new Header(),
        },
      );
      const graph = await load(pipelineFile('LATISS', 'Isr'));
      const run = executePipeline(graph, { dataId, store, run: 'LATISS/runs/isr' });
      await expect(run).rejects.toThrow(PipelineExecutionError);
      await expect(run).rejects.toThrow(/master bias is 4×4 but the detector is/);
    },
    SLOW,
  );
});
