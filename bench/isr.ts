// ISR + background benchmark on a full-size synthetic raw: an LSSTCam ITL detector (R01_S00,
// 16 amps of 576×2048, 4072×4000 assembled), sky with a gradient, master bias/dark/flat and defects,
// written RICE-compressed and read back. Times every step on one core (wall and CPU ms, medians over
// RUNS after a warm-up) and reports peak RSS. Prints JSON. Usage: npm run bench:isr

import { mkdtempSync, rmSync } from 'node:fs';
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
import { assembleWithOverscan } from '../service/pipeline/tasks/isr/isr';
import { DEFAULT_ISR_CONFIG } from '../service/pipeline/tasks/isr/isr-config';
import {
  divideFlat,
  fillVariance,
  maskBoxes,
  subtractBias,
  subtractDark,
} from '../service/pipeline/tasks/isr/pixel-corrections';
import { makeMasterCalibrations } from '../tester/synthetic/master-calibrations';
import { simulateRaw } from '../tester/synthetic/simulate-raw';
import { writeSyntheticExposure } from '../tester/synthetic/write-synthetic-exposure';

const RUNS = 5;
const DARK_TIME = 30;

interface Timing {
  wallMs: number;
  cpuMs: number;
}

function timed<T>(samples: Map<string, Timing[]>, step: string, work: () => T): T {
  const cpu = process.cpuUsage();
  const start = performance.now();
  const result = work();
  const wallMs = performance.now() - start;
  const used = process.cpuUsage(cpu);
  const list = samples.get(step) ?? [];
  list.push({ wallMs, cpuMs: (used.user + used.system) / 1000 });
  samples.set(step, list);
  return result;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

const geometry = detectorGeometry('LSSTCam', 'R01_S00');
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
const directory = mkdtempSync(path.join(tmpdir(), 'bench-isr-'));
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
const written = writeSyntheticExposure(directory, synthetic, exposure, { compress: true });
const defects = calibrations.defects.map((d) => d.box);

const samples = new Map<string, Timing[]>();
let totals: Timing[] = [];
for (let run = 0; run <= RUNS; run++) {
  const stepSamples = run === 0 ? new Map<string, Timing[]>() : samples;
  const cpu = process.cpuUsage();
  const start = performance.now();
  const raw: RawDetector = timed(stepSamples, 'read raw (RICE decode)', () =>
    rawDetectorFromFits(readFitsFile(written.rawPath), geometry),
  );
  const { image, mask } = timed(stepSamples, 'overscan + assemble + gain + saturation', () =>
    assembleWithOverscan(raw, DEFAULT_ISR_CONFIG),
  );
  timed(stepSamples, 'bias', () => subtractBias(image, calibrations.bias));
  const variance = new Float32Array(image.length);
  timed(stepSamples, 'variance', () => fillVariance(image, variance, geometry));
  timed(stepSamples, 'dark', () => subtractDark(image, calibrations.dark, DARK_TIME));
  timed(stepSamples, 'flat', () => divideFlat(image, variance, mask, calibrations.flat));
  timed(stepSamples, 'defects', () => maskBoxes(mask, geometry.width, geometry.height, defects, MaskBit.BAD));
  const exposureImage: MaskedImage = {
    width: geometry.width,
    height: geometry.height,
    image,
    variance,
    mask,
  };
  const mesh = timed(stepSamples, 'background mesh', () =>
    measureBackgroundMesh(exposureImage, DEFAULT_BACKGROUND_CONFIG),
  );
  const level = timed(stepSamples, 'background interpolation', () =>
    interpolateMesh(mesh, geometry.width, geometry.height, DEFAULT_BACKGROUND_CONFIG.interpolation),
  );
  timed(stepSamples, 'background subtraction', () =>
    subtractBackground(exposureImage, { mesh, image: level }),
  );
  const used = process.cpuUsage(cpu);
  if (run > 0) totals.push({ wallMs: performance.now() - start, cpuMs: (used.user + used.system) / 1000 });
}
rmSync(directory, { recursive: true, force: true });

const steps = Object.fromEntries(
  [...samples].map(([step, list]) => [
    step,
    { wallMs: round(median(list.map((t) => t.wallMs))), cpuMs: round(median(list.map((t) => t.cpuMs))) },
  ]),
);
const isrSteps = [...samples.keys()].filter((s) => !s.startsWith('background') && !s.startsWith('read'));
const sum = (names: string[], key: keyof Timing) =>
  round(names.reduce((acc, name) => acc + (steps[name]?.[key] ?? 0), 0));
const backgroundSteps = [...samples.keys()].filter((s) => s.startsWith('background'));
totals = totals.sort((a, b) => a.wallMs - b.wallMs);
console.log(
  JSON.stringify(
    {
      detector: `${geometry.instrument} ${geometry.detector.name} (${geometry.vendor}), ${geometry.width}×${geometry.height}, 16 amps RICE_1`,
      runs: RUNS,
      steps,
      isrMs: { wall: sum(isrSteps, 'wallMs'), cpu: sum(isrSteps, 'cpuMs') },
      backgroundMs: { wall: sum(backgroundSteps, 'wallMs'), cpu: sum(backgroundSteps, 'cpuMs') },
      isrPlusBackgroundMs: {
        wall: round(sum(isrSteps, 'wallMs') + sum(backgroundSteps, 'wallMs')),
        cpu: round(sum(isrSteps, 'cpuMs') + sum(backgroundSteps, 'cpuMs')),
      },
      goalIsrPlusBackgroundMs: 1500,
      totalWithReadMs: {
        wall: round(median(totals.map((t) => t.wallMs))),
        cpu: round(median(totals.map((t) => t.cpuMs))),
      },
      peakRssMiB: round(process.resourceUsage().maxRSS / 1024),
      loadAverage1m: round(loadavg()[0] ?? 0),
    },
    null,
    2,
  ),
);

function round(value: number): number {
  return Math.round(value * 10) / 10;
}
