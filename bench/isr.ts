// ISR + background benchmark on a full-size synthetic raw: an LSSTCam ITL detector (R01_S00,
// 16 amps of 576×2048, 4072×4000 assembled), sky with a gradient, master bias/dark/flat and defects.
// The parent process simulates and writes the raw (RICE) and the calibrations; a child process reads
// them and times every step on one thread (wall and CPU ms, medians over RUNS after a warm-up), so its
// peak RSS is that of the pipeline alone. Prints JSON. Usage: npm run bench:isr

import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { detectorGeometry } from '../service/domain/camera-geometry/camera-geometry';
import { type RawDetector, rawDetectorFromFits } from '../service/domain/camera-geometry/raw-detector';
import { MaskBit } from '../service/domain/image/mask-bits';
import type { MaskedImage } from '../service/domain/image/masked-image';
import { readFitsFile } from '../service/fits-io/read-fits-file';
import { subtractBackground } from '../service/pipeline/tasks/background/background';
import { DEFAULT_BACKGROUND_CONFIG } from '../service/pipeline/tasks/background/background-config';
import { measureBackgroundMesh } from '../service/pipeline/tasks/background/background-mesh';
import { interpolateMesh } from '../service/pipeline/tasks/background/spline-interpolation';
import { calibrationImage } from '../service/pipeline/tasks/isr/calibrations';
import { assembleWithOverscan } from '../service/pipeline/tasks/isr/isr';
import { DEFAULT_ISR_CONFIG } from '../service/pipeline/tasks/isr/isr-config';
import { IsrWorkerPool } from '../service/pipeline/tasks/isr/isr-worker-pool';
import { applyCalibrations, maskBoxes } from '../service/pipeline/tasks/isr/pixel-corrections';
import { makeMasterCalibrations } from '../tester/synthetic/master-calibrations';
import { simulateRaw } from '../tester/synthetic/simulate-raw';
import {
  writeMasterCalibrations,
  writeSyntheticExposure,
} from '../tester/synthetic/write-synthetic-exposure';
import { peakRssMiB } from './support/peak-rss';

const RUNS = 5;
const DARK_TIME = 30;
const WORKER_STEP = 'overscan + assemble in 2 worker threads (alternative, not in the totals)';
const geometry = detectorGeometry('LSSTCam', 'R01_S00');

interface Timing {
  wallMs: number;
  cpuMs: number;
}

interface Inputs {
  rawPath: string;
  biasPath: string;
  darkPath: string;
  flatPath: string;
  defectsPath: string;
}

function writeInputs(directory: string): Inputs {
  const calibrations = makeMasterCalibrations(geometry, { seed: 11 });
  const sky = new Float32Array(geometry.width * geometry.height);
  for (let y = 0; y < geometry.height; y++) {
    for (let x = 0; x < geometry.width; x++) sky[y * geometry.width + x] = 1200 + 0.05 * x - 0.03 * y;
  }
  const synthetic = simulateRaw({
    geometry,
    seed: 7,
    electrons: sky,
    flat: calibrations.flat,
    darkCurrent: calibrations.dark,
    darkTimeSeconds: DARK_TIME,
    biasStructure: calibrations.bias,
    defects: calibrations.defects,
  });
  const exposure = {
    dayObs: '20250101',
    seqNum: 1,
    groupId: '2025-01-01T00:00:00',
    imageType: 'OBJECT',
    filter: 'r_57',
    exposureTimeSeconds: DARK_TIME,
    beginMjdTai: 60676.1,
    raDeg: 10,
    decDeg: -30,
    rotPaDeg: 0,
  };
  const { rawPath } = writeSyntheticExposure(directory, synthetic, exposure, { compress: true });
  return {
    rawPath,
    ...writeMasterCalibrations(path.join(directory, 'calib'), calibrations, geometry, 'r_57'),
  };
}

function timed<T>(samples: Map<string, Timing[]>, step: string, work: () => T): T {
  const cpu = process.cpuUsage();
  const start = performance.now();
  const result = work();
  record(samples, step, start, cpu);
  return result;
}

function record(samples: Map<string, Timing[]>, step: string, start: number, cpu: NodeJS.CpuUsage): void {
  const used = process.cpuUsage(cpu);
  const list = samples.get(step) ?? [];
  list.push({ wallMs: performance.now() - start, cpuMs: (used.user + used.system) / 1000 });
  samples.set(step, list);
}

/** One ISR + background run, step by step (the composition runIsr/estimateBackground perform). */
function runOnce(inputs: Inputs, calibrations: Calibrations, samples: Map<string, Timing[]>): void {
  const raw: RawDetector = timed(samples, 'read raw (RICE decode)', () =>
    rawDetectorFromFits(readFitsFile(inputs.rawPath), geometry),
  );
  const { image, mask } = timed(samples, 'overscan + assemble + gain + saturation', () =>
    assembleWithOverscan(raw, DEFAULT_ISR_CONFIG),
  );
  const variance = new Float32Array(image.length);
  timed(samples, 'bias + variance + dark + flat (one pass)', () =>
    applyCalibrations(image, variance, mask, geometry, { ...calibrations, darkTimeSeconds: DARK_TIME }),
  );
  timed(samples, 'defects', () =>
    maskBoxes(mask, geometry.width, geometry.height, calibrations.defects, MaskBit.BAD),
  );
  const exposure: MaskedImage = { width: geometry.width, height: geometry.height, image, variance, mask };
  const mesh = timed(samples, 'background mesh', () =>
    measureBackgroundMesh(exposure, DEFAULT_BACKGROUND_CONFIG),
  );
  const level = timed(samples, 'background interpolation', () =>
    interpolateMesh(mesh, geometry.width, geometry.height, DEFAULT_BACKGROUND_CONFIG.interpolation),
  );
  timed(samples, 'background subtraction', () => subtractBackground(exposure, { mesh, image: level }));
}

interface Calibrations {
  bias: Float32Array;
  dark: Float32Array;
  flat: Float32Array;
  defects: { x0: number; y0: number; width: number; height: number }[];
}

async function measure(inputs: Inputs): Promise<void> {
  const calibrations: Calibrations = {
    bias: calibrationImage(readFitsFile(inputs.biasPath), geometry, 'bias'),
    dark: calibrationImage(readFitsFile(inputs.darkPath), geometry, 'dark'),
    flat: calibrationImage(readFitsFile(inputs.flatPath), geometry, 'flat'),
    defects: (
      JSON.parse(readFileSync(inputs.defectsPath, 'utf8')) as { box: Calibrations['defects'][number] }[]
    ).map((d) => d.box),
  };
  const samples = new Map<string, Timing[]>();
  for (let run = 0; run <= RUNS; run++) runOnce(inputs, calibrations, run === 0 ? new Map() : samples);
  const rssMiB = peakRssMiB();
  // The optional worker wrapper for the per-amp step, on the same raw (2 workers, after a warm-up).
  const pool = new IsrWorkerPool(2);
  const raw = rawDetectorFromFits(readFitsFile(inputs.rawPath), geometry);
  for (let run = 0; run <= RUNS; run++) {
    const cpu = process.cpuUsage();
    const start = performance.now();
    await pool.assembleWithOverscan(raw, DEFAULT_ISR_CONFIG);
    if (run > 0) record(samples, WORKER_STEP, start, cpu);
  }
  await pool.close();
  process.stdout.write(JSON.stringify({ samples: Object.fromEntries(samples), peakRssMiB: rssMiB }));
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}

function report(measured: { samples: Record<string, Timing[]>; peakRssMiB: number }): unknown {
  const steps: Record<string, { wallMs: number; cpuMs: number }> = {};
  for (const [step, list] of Object.entries(measured.samples)) {
    steps[step] = {
      wallMs: round(median(list.map((t) => t.wallMs))),
      cpuMs: round(median(list.map((t) => t.cpuMs))),
    };
  }
  const names = Object.keys(steps).filter((s) => s !== WORKER_STEP && !s.startsWith('read'));
  const isr = names.filter((s) => !s.startsWith('background'));
  const background = names.filter((s) => s.startsWith('background'));
  const sum = (list: string[], key: keyof Timing) =>
    round(list.reduce((acc, s) => acc + (steps[s]?.[key] ?? 0), 0));
  return {
    detector: `${geometry.instrument} ${geometry.detector.name} (${geometry.vendor}), ${geometry.width}×${geometry.height}, 16 amps RICE_1`,
    runs: RUNS,
    steps,
    isrMs: { wall: sum(isr, 'wallMs'), cpu: sum(isr, 'cpuMs') },
    backgroundMs: { wall: sum(background, 'wallMs'), cpu: sum(background, 'cpuMs') },
    isrPlusBackgroundMs: { wall: sum(names, 'wallMs'), cpu: sum(names, 'cpuMs') },
    goalIsrPlusBackgroundMs: 1500,
    peakRssMiB: round(measured.peakRssMiB),
    loadAverage1m: round(loadavg()[0] ?? 0),
  };
}

async function main(): Promise<void> {
  const measureIndex = process.argv.indexOf('--measure');
  if (measureIndex >= 0) {
    await measure(JSON.parse(process.argv[measureIndex + 1] ?? '{}') as Inputs);
    return;
  }
  const directory = mkdtempSync(path.join(tmpdir(), 'bench-isr-'));
  try {
    const inputs = writeInputs(directory);
    const child = spawnSync(
      process.execPath,
      ['-r', require.resolve('tsx/cjs'), __filename, '--measure', JSON.stringify(inputs)],
      {
        encoding: 'utf8',
        maxBuffer: 16 * 1024 * 1024,
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    if (child.status !== 0)
      throw new Error(`the measuring process failed (exit ${child.status ?? child.signal})`);
    console.log(JSON.stringify(report(JSON.parse(child.stdout)), null, 2));
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
