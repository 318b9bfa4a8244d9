// measurePsf → detectAndMeasure → fitAstrometry through the engine, on a synthetic background-
// subtracted exposure (what ISR + background will hand them), with and without a reference catalog.

import { beforeAll, describe, expect, it } from 'vitest';
import { InMemoryDatasetStore } from '../../../service/adapters/in-memory/dataset-store';
import { Header } from '../../../service/domain/fits';
import type { SourceCatalog } from '../../../service/domain/measurement/source-catalog';
import type { AstrometricSolution } from '../../../service/domain/wcs/refine-wcs';
import { pixelToSky, separationArcsec, tanWcsFromHeader } from '../../../service/domain/wcs/tan-wcs';
import { executePipeline } from '../../../service/pipeline/engine/execute-pipeline';
import { parsePipeline } from '../../../service/pipeline/engine/pipeline-file';
import { buildPipelineGraph } from '../../../service/pipeline/engine/pipeline-graph';
import type { Exposure } from '../../../service/pipeline/engine/storage-classes';
import { defaultTaskRegistry } from '../../../service/pipeline/tasks/default-task-registry';
import { type Scene, scene } from '../measurement/star-field-fixture';

const VIS = '[instrument, visit, detector]';
const PIPELINE = `
description: the measurement half of SingleFrame, from a background-subtracted image
instrument: LSSTCam
inputs:
  preliminary_visit_image: {dimensions: ${VIS}, storageClass: Exposure}
  refcat: {dimensions: [htm7], storageClass: ReferenceCatalog}
tasks:
  measurePsf:
    task: measurePsf
    config: {initialFwhmPixels: 4}
    connections:
      inputs: {exposure: preliminary_visit_image}
      outputs: {psf: {datasetType: preliminary_visit_image_psf, dimensions: ${VIS}, storageClass: Psf}}
  detectAndMeasure:
    task: detectAndMeasure
    connections:
      inputs: {exposure: preliminary_visit_image, psf: preliminary_visit_image_psf}
      outputs: {sources: {datasetType: single_visit_source_pixels, dimensions: ${VIS}, storageClass: SourceCatalog}}
  fitAstrometry:
    task: fitAstrometry
    connections:
      inputs: {exposure: preliminary_visit_image, sources: single_visit_source_pixels, referenceCatalog: refcat}
      outputs:
        astrometry: {datasetType: preliminary_visit_astrometry, dimensions: ${VIS}, storageClass: AstrometricSolution}
        sources: {datasetType: single_visit_star_unstandardized, dimensions: ${VIS}, storageClass: SourceCatalog}
`;
const DATA_ID = { instrument: 'LSSTCam', visit: 2025120100042, exposure: 2025120100042, detector: 94 };
const ARCSEC = 1 / 3600;

/** The true pointing; the header is off by 2" east and 1.5" south. */
const TRUE_WCS_CARDS = { CRVAL1: 150.1, CRVAL2: 2.2 };

function header(raOffsetArcsec: number, decOffsetArcsec: number): Header {
  const scale = 0.2 * ARCSEC;
  return new Header([
    { keyword: 'CTYPE1', value: 'RA---TAN' },
    { keyword: 'CTYPE2', value: 'DEC--TAN' },
    {
      keyword: 'CRVAL1',
      value: TRUE_WCS_CARDS.CRVAL1 + (raOffsetArcsec * ARCSEC) / Math.cos((2.2 * Math.PI) / 180),
    },
    { keyword: 'CRVAL2', value: TRUE_WCS_CARDS.CRVAL2 + decOffsetArcsec * ARCSEC },
    { keyword: 'CRPIX1', value: 512.5 },
    { keyword: 'CRPIX2', value: 512.5 },
    { keyword: 'CD1_1', value: -scale },
    { keyword: 'CD1_2', value: 0 },
    { keyword: 'CD2_1', value: 0 },
    { keyword: 'CD2_2', value: scale },
  ]);
}

describe('single-frame measurement tasks through the engine', () => {
  let s: Scene;
  beforeAll(() => {
    s = scene(1024, 1024, 99, 4e-4);
  });

  async function run(withRefcat: boolean): Promise<InMemoryDatasetStore> {
    const store = new InMemoryDatasetStore();
    const exposure: Exposure = { ...s.exposure, metadata: header(2, -1.5) };
    await store.put(
      'LSSTCam/runs/isr',
      {
        datasetType: 'preliminary_visit_image',
        dataId: { instrument: 'LSSTCam', visit: DATA_ID.visit, detector: 94 },
      },
      'Exposure',
      exposure,
    );
    if (withRefcat) {
      const truth = tanWcsFromHeader(header(0, 0));
      const ra = new Float64Array(s.field.truth.x.length);
      const dec = new Float64Array(s.field.truth.x.length);
      s.field.truth.x.forEach((x, k) => {
        const sky = pixelToSky(truth, x, s.field.truth.y[k] as number);
        ra[k] = sky.ra;
        dec[k] = sky.dec;
      });
      await store.put('refcats', { datasetType: 'refcat', dataId: { htm7: 131072 } }, 'ReferenceCatalog', {
        ra,
        dec,
      });
    }
    const graph = buildPipelineGraph(
      parsePipeline(PIPELINE, 'test/SingleFrameMeasurement.yaml'),
      defaultTaskRegistry(),
    );
    const report = await executePipeline(graph, {
      dataId: DATA_ID,
      store,
      run: 'LSSTCam/prompt/output/SingleFrame/test',
    });
    expect(report.tasks.map((t) => t.label)).toEqual(['measurePsf', 'detectAndMeasure', 'fitAstrometry']);
    return store;
  }

  const ref = (datasetType: string) => ({ datasetType, dataId: { visit: DATA_ID.visit, detector: 94 } });

  it('refines the header WCS on the refcat and gives every source its true sky position', async () => {
    const store = await run(true);
    const astrometry = (await store.get(ref('preliminary_visit_astrometry'))) as AstrometricSolution;
    expect(astrometry.source).toBe('refined');
    expect(astrometry.matchCount).toBeGreaterThan(50);
    const sources = (await store.get(ref('single_visit_star_unstandardized'))) as SourceCatalog;
    expect(sources.count).toBeGreaterThan(100);
    const truth = tanWcsFromHeader(header(0, 0));
    let worst = 0;
    for (let i = 0; i < sources.count; i++) {
      if ((sources.snr[i] as number) < 50 || (sources.flags[i] as number) !== 0) continue;
      const expected = pixelToSky(truth, sources.x[i] as number, sources.y[i] as number);
      worst = Math.max(
        worst,
        separationArcsec(expected, { ra: sources.ra?.[i] as number, dec: sources.dec?.[i] as number }),
      );
    }
    expect(worst).toBeLessThan(0.02);
  });

  it('falls back to the header WCS, flagged, when the repository has no refcat', async () => {
    const store = await run(false);
    const astrometry = (await store.get(ref('preliminary_visit_astrometry'))) as AstrometricSolution;
    expect(astrometry.source).toBe('header');
    expect(astrometry.fallbackReason).toBe('no reference catalog in the repository');
    const sources = (await store.get(ref('single_visit_star_unstandardized'))) as SourceCatalog;
    const headerSky = pixelToSky(
      tanWcsFromHeader(header(2, -1.5)),
      sources.x[0] as number,
      sources.y[0] as number,
    );
    expect(sources.ra?.[0]).toBeCloseTo(headerSky.ra, 10);
  });
});
