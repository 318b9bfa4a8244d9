// The differencing tasks through the engine, from the repository's datasets to DiaSources with sky
// positions; a template that does not cover the detector fails getTemplate with a clear error.

import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InMemoryDatasetStore } from '../../../service/adapters/in-memory/dataset-store';
import { isDiaSourceTable } from '../../../service/domain/diffim/dia-source-table';
import type { WarpedImage } from '../../../service/domain/diffim/warp-exposure';
import { type Card, Header } from '../../../service/domain/fits';
import { detectSources } from '../../../service/domain/measurement/detect-sources';
import { circularPsf } from '../../../service/domain/measurement/psf-model';
import { renderDiaPair } from '../../../service/domain/synthetic/dia-pair';
import { matchToTruth } from '../../../service/domain/synthetic/match-truth';
import { pixelToSky, type TanWcs } from '../../../service/domain/wcs/tan-wcs';
import { PipelineExecutionError } from '../../../service/pipeline/engine/errors';
import { executePipeline } from '../../../service/pipeline/engine/execute-pipeline';
import { loadPipelineGraph } from '../../../service/pipeline/engine/load-pipeline';
import { defaultTaskRegistry } from '../../../service/pipeline/tasks/default-task-registry';
import { pairOptions, templateColumns } from '../diffim/dia-fixture';

const V = '[instrument, visit, detector]';
const PIPELINE = `
description: differencing only
instrument: LSSTCam
inputs:
  calexp: { dimensions: ${V}, storageClass: Exposure }
  calexp_psf: { dimensions: ${V}, storageClass: Psf }
  stars: { dimensions: ${V}, storageClass: SourceCatalog }
  astrometry: { dimensions: ${V}, storageClass: AstrometricSolution }
  template_coadd: { dimensions: [skymap, tract, patch, band], storageClass: Exposure }
tasks:
  getTemplate:
    task: getTemplate
    connections:
      inputs: { coaddExposures: template_coadd, exposure: calexp, astrometry: astrometry }
      outputs: { template: { datasetType: template_detector, dimensions: ${V}, storageClass: Exposure } }
  subtractImages:
    task: subtractImages
    # A 512² detector has few bright isolated stars.
    config: { stampMinSnr: 20, minStamps: 6 }
    connections:
      inputs: { science: calexp, template: template_detector, sources: stars }
      outputs:
        difference: { datasetType: difference_image, dimensions: ${V}, storageClass: Exposure }
        matchedTemplate: { datasetType: template_matched, dimensions: ${V}, storageClass: Exposure }
        psf: { datasetType: difference_psf, dimensions: ${V}, storageClass: Psf }
  detectAndMeasureDiaSources:
    task: detectAndMeasureDiaSources
    connections:
      inputs:
        { difference: difference_image, science: calexp, matchedTemplate: template_matched, psf: difference_psf,
          sciencePsf: calexp_psf, astrometry: astrometry }
      outputs: { diaSources: { datasetType: dia_source_unfiltered, dimensions: ${V}, storageClass: DataFrame } }
`;

function wcsCards(wcs: TanWcs): Card[] {
  return [
    { keyword: 'CTYPE1', value: 'RA---TAN' },
    { keyword: 'CTYPE2', value: 'DEC--TAN' },
    { keyword: 'CRVAL1', value: wcs.crval1 },
    { keyword: 'CRVAL2', value: wcs.crval2 },
    { keyword: 'CRPIX1', value: wcs.crpix1 },
    { keyword: 'CRPIX2', value: wcs.crpix2 },
    { keyword: 'CD1_1', value: wcs.cd11 },
    { keyword: 'CD1_2', value: wcs.cd12 },
    { keyword: 'CD2_1', value: wcs.cd21 },
    { keyword: 'CD2_2', value: wcs.cd22 },
  ];
}

const DATA_ID = { instrument: 'LSSTCam', visit: 5, detector: 94, band: 'r', skymap: 'lsst_cells_v1' };

/** How the template is stored: one coadd, or split into two patches of the tract meeting mid-detector. */
type TemplateLayout = 'onePatch' | 'twoPatches';

async function run(templateWcs: (w: TanWcs) => TanWcs, layout: TemplateLayout = 'onePatch') {
  const pair = renderDiaPair(
    pairOptions({
      width: 512,
      height: 512,
      starCount: 300,
      transientSnrs: Array(16).fill(15),
      negativeSnrs: [],
      variableSnrs: [],
    }),
  );
  const dir = mkdtempSync(join(tmpdir(), 'dia-tasks-'));
  writeFileSync(join(dir, 'Diff.yaml'), PIPELINE);
  const graph = await loadPipelineGraph(join(dir, 'Diff.yaml'), defaultTaskRegistry());
  const store = new InMemoryDatasetStore();
  const v = { instrument: 'LSSTCam', visit: 5, detector: 94 };
  const put = (
    datasetType: string,
    dataId: Record<string, string | number>,
    storageClass: string,
    value: unknown,
  ) => store.put('in', { datasetType, dataId }, storageClass, value);
  const psf = circularPsf(4);
  await put('calexp', v, 'Exposure', { ...pair.science, metadata: new Header(wcsCards(pair.scienceWcs)) });
  await put('calexp_psf', v, 'Psf', psf);
  await put('stars', v, 'SourceCatalog', detectSources(pair.science, psf).sources);
  await put('astrometry', v, 'AstrometricSolution', {
    wcs: pair.scienceWcs,
    source: 'refined',
    matchCount: 50,
    rmsPixels: 0.05,
  });
  const wcs = templateWcs(pair.templateWcs);
  const middle = Math.round(pair.template.width / 2);
  const patches =
    layout === 'onePatch'
      ? [{ image: pair.template, wcs }]
      : [
          templateColumns(pair.template, wcs, 0, middle + 4),
          templateColumns(pair.template, wcs, middle - 4, pair.template.width),
        ];
  for (const [k, patch] of patches.entries()) {
    await put('template_coadd', { skymap: 'lsst_cells_v1', tract: 1, patch: 2 + k, band: 'r' }, 'Exposure', {
      ...patch.image,
      metadata: new Header(wcsCards(patch.wcs)),
    });
  }
  const report = await executePipeline(graph, { dataId: DATA_ID, store, run: 'out' });
  return { pair, report, store };
}

describe('differencing tasks in the engine', () => {
  it('runs getTemplate → subtractImages → detectAndMeasureDiaSources and gives DiaSources sky positions', async () => {
    const { pair, report, store } = await run((w) => w);
    expect(report.tasks.map((t) => t.label)).toEqual([
      'getTemplate',
      'subtractImages',
      'detectAndMeasureDiaSources',
    ]);
    const table = await store.get({
      datasetType: 'dia_source_unfiltered',
      dataId: { instrument: 'LSSTCam', visit: 5, detector: 94 },
    });
    expect(isDiaSourceTable(table)).toBe(true);
    if (!isDiaSourceTable(table)) return;
    expect(table.count).toBeGreaterThanOrEqual(16);
    const t = pair.truth.transients;
    const truthSky = pixelToSky(pair.scienceWcs, t.x[0] as number, t.y[0] as number);
    const nearest = Array.from(table.ra, (ra, i) =>
      Math.hypot((ra - truthSky.ra) * Math.cos((2 * Math.PI) / 180), (table.dec[i] as number) - truthSky.dec),
    );
    expect(Math.min(...nearest) * 3600).toBeLessThan(0.2);
  }, 30_000);

  it('differences the whole of a detector straddling two template patches, as with one template', async () => {
    const v = { instrument: 'LSSTCam', visit: 5, detector: 94 };
    const found = async (layout: TemplateLayout) => {
      const { pair, store } = await run((w) => w, layout);
      const template = (await store.get({ datasetType: 'template_detector', dataId: v })) as WarpedImage;
      const table = await store.get({ datasetType: 'dia_source_unfiltered', dataId: v });
      if (!isDiaSourceTable(table)) throw new Error('no DiaSource table');
      const matched = Array.from(matchToTruth(pair.truth.transients, table, 2), (d) => d >= 0);
      return { pair, coverage: template.coverage, matched };
    };
    const one = await found('onePatch');
    const two = await found('twoPatches');
    expect(two.coverage).toBe(1);
    expect(two.coverage).toBe(one.coverage);
    // The same injected transients are found, on both sides of the patch boundary.
    expect(two.matched).toEqual(one.matched);
    const middle = 256;
    const foundOn = (left: boolean) =>
      two.matched.filter((m, k) => m && (two.pair.truth.transients.x[k] as number) < middle === left).length;
    expect(foundOn(true)).toBeGreaterThan(3);
    expect(foundOn(false)).toBeGreaterThan(3);
  }, 60_000);

  it('fails getTemplate with a coverage error when the coadd lies off the detector', async () => {
    const moved = (w: TanWcs): TanWcs => ({ ...w, crval1: w.crval1 + 1 });
    await expect(run(moved)).rejects.toThrow(PipelineExecutionError);
    await expect(run(moved)).rejects.toThrow(/covers 0.0% of the detector/);
  }, 30_000);
});
