// The measuring half of bench:single-frame, run in a child process (so its peak RSS is the
// pipeline's, not the simulator's) pinned to one core: reads the raw and the calibrations as
// datasets, runs pipelines/LSSTCam/SingleFrame.yaml through the engine RUNS times after a warm-up
// (wall clock), then RUNS times with a CPU clock, and leaves the background-subtracted image and the
// sources in files for the parent to score and to hand to SExtractor.

import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { InMemoryDatasetStore } from '../../service/adapters/in-memory/dataset-store';
import { imageHdu, writeFits } from '../../service/domain/fits';
import type { Exposure } from '../../service/domain/image/exposure';
import { type GaussianPsf, psfFwhm, psfSigma } from '../../service/domain/measurement/psf-model';
import type { SourceCatalog } from '../../service/domain/measurement/source-catalog';
import type { AstrometricSolution, ReferenceCatalog } from '../../service/domain/wcs/refine-wcs';
import { readFitsFile } from '../../service/fits-io/read-fits-file';
import { type ExecutionReport, executePipeline } from '../../service/pipeline/engine/execute-pipeline';
import { loadPipelineGraph } from '../../service/pipeline/engine/load-pipeline';
import { defaultTaskRegistry } from '../../service/pipeline/tasks/default-task-registry';
import { rawExposureFromFits } from '../../service/pipeline/tasks/isr/raw-exposure';
import {
  ingestSyntheticExposure,
  type WrittenSyntheticExposure,
} from '../../tester/synthetic/ingest-synthetic-exposure';
import { peakRssMiB } from './peak-rss';
import { median } from './sextractor';

export interface MeasureArguments {
  readonly made: Omit<WrittenSyntheticExposure, 'geometry'>;
  readonly instrument: 'LSSTCam';
  readonly detector: string;
  readonly refcat: { ra: number[]; dec: number[] };
  readonly outputDirectory: string;
  readonly runs: number;
  readonly pipelineFile: string;
}

export interface MeasuredSingleFrame {
  readonly readRawMs: { wall: number; cpu: number };
  /** Median per-task wall and CPU ms, in pipeline order. */
  readonly tasks: { label: string; wallMs: number; cpuMs: number }[];
  readonly peakRssMiB: number;
  readonly imagePath: string;
  readonly sourcesPath: string;
  readonly medianVariance: number;
  readonly psf: { sigma: number; fwhm: number; stars: number };
  readonly astrometry: { source: string; matches: number; rmsPixels: number };
  readonly backgroundMeshes: number;
}

function cpuNow(): number {
  const used = process.cpuUsage();
  return (used.user + used.system) / 1000;
}

export async function measureSingleFrame(
  args: MeasureArguments,
  geometry: WrittenSyntheticExposure['geometry'],
): Promise<MeasuredSingleFrame> {
  const made = { ...args.made, geometry };
  const readWall: number[] = [];
  const readCpu: number[] = [];
  for (let run = 0; run <= args.runs; run++) {
    const wall = performance.now();
    const cpu = cpuNow();
    rawExposureFromFits(readFitsFile(made.written.rawPath), geometry);
    if (run > 0) {
      readWall.push(performance.now() - wall);
      readCpu.push(cpuNow() - cpu);
    }
  }
  const inputs = new InMemoryDatasetStore();
  const dataId = await ingestSyntheticExposure(inputs, made);
  const refcat: ReferenceCatalog = {
    ra: Float64Array.from(args.refcat.ra),
    dec: Float64Array.from(args.refcat.dec),
  };
  await inputs.put('refcats', { datasetType: 'refcat', dataId: { htm7: 1 } }, 'ReferenceCatalog', refcat);
  const graph = await loadPipelineGraph(args.pipelineFile, defaultTaskRegistry());

  // A fresh store per run holding the same input objects, so earlier runs' outputs can be collected.
  const runOnce = async (
    now: () => number,
  ): Promise<{ report: ExecutionReport; store: InMemoryDatasetStore }> => {
    const store = new InMemoryDatasetStore();
    for (const d of inputs.datasets()) {
      await store.put(d.run, { datasetType: d.datasetType, dataId: d.dataId }, d.storageClass, d.value);
    }
    const report = await executePipeline(graph, { dataId, store, run: 'bench/sfm', now });
    return { report, store };
  };
  await runOnce(() => performance.now()); // warm-up
  const wall: ExecutionReport[] = [];
  for (let run = 0; run < args.runs; run++) wall.push((await runOnce(() => performance.now())).report);
  const cpu: ExecutionReport[] = [];
  let last: InMemoryDatasetStore | undefined;
  for (let run = 0; run < args.runs; run++) {
    const { report, store } = await runOnce(cpuNow);
    cpu.push(report);
    last = store;
  }
  const peakRss = peakRssMiB();
  const tasks = graph.tasks.map((node, i) => ({
    label: node.label,
    wallMs: median(wall.map((r) => r.tasks[i]?.milliseconds ?? Number.NaN)),
    cpuMs: median(cpu.map((r) => r.tasks[i]?.milliseconds ?? Number.NaN)),
  }));

  const output = <T>(datasetType: string): T => {
    const found = last?.datasets().find((d) => d.datasetType === datasetType && d.run === 'bench/sfm');
    if (found === undefined) throw new Error(`${datasetType} was not written`);
    return found.value as T;
  };
  const image = output<Exposure>('preliminary_visit_image');
  const psf = output<GaussianPsf>('preliminary_visit_image_psf');
  const sources = output<SourceCatalog>('single_visit_star_unstandardized');
  const astrometry = output<AstrometricSolution>('preliminary_visit_astrometry');
  const background = output<{ mesh: { nx: number; ny: number } }>('preliminary_visit_image_background');
  const imagePath = path.join(args.outputDirectory, 'preliminary_visit_image.fits');
  writeFileSync(imagePath, writeFits([imageHdu(image.image, [image.width, image.height])]));
  const sourcesPath = path.join(args.outputDirectory, 'sources.json');
  writeFileSync(sourcesPath, JSON.stringify({ x: Array.from(sources.x), y: Array.from(sources.y) }));
  const variance = Float32Array.from(image.variance.subarray(0, 1_000_000)).sort();
  return {
    readRawMs: { wall: median(readWall), cpu: median(readCpu) },
    tasks,
    peakRssMiB: peakRss,
    imagePath,
    sourcesPath,
    medianVariance: variance[variance.length >> 1] as number,
    psf: { sigma: psfSigma(psf), fwhm: psfFwhm(psf), stars: psf.starCount },
    astrometry: {
      source: astrometry.source,
      matches: astrometry.matchCount,
      rmsPixels: astrometry.rmsPixels,
    },
    backgroundMeshes: background.mesh.nx * background.mesh.ny,
  };
}
