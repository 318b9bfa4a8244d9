// Single-frame benchmark, the whole chain of issue 5 on one full-size LSSTCam ITL detector (R01_S00,
// 4072×4000): a star field is rendered, simulated into a raw with master bias, dark, flat and defects
// (tester/synthetic, RICE-compressed), then a child process pinned to one core reads the raw and the
// calibrations as datasets and runs pipelines/LSSTCam/SingleFrame.yaml through the engine — ISR, mesh
// background, PSF, detection and measurement, astrometry against a reference catalog offset by 2″ —
// timing every task (wall and CPU, medians over RUNS after a warm-up) and reporting its peak RSS.
// SExtractor (NTHREADS=1, same filter, threshold and minimum area) then runs on the same
// background-subtracted image in the same run; both catalogs are scored against the injected stars.
// Prints JSON. Usage: npm run bench:single-frame

import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { detectorGeometry } from '../service/domain/camera-geometry/camera-geometry';
import { Header } from '../service/domain/fits';
import { DEFAULT_DETECTION_OPTIONS } from '../service/domain/measurement/detect-sources';
import { completeness, matchToTruth, type PointSet } from '../service/domain/synthetic/match-truth';
import { renderStarField, type StarField } from '../service/domain/synthetic/star-field';
import { pixelToSky, tanWcsFromHeader } from '../service/domain/wcs/tan-wcs';
import { writeSyntheticDetectorExposure } from '../tester/synthetic/synthetic-exposure';
import { syntheticWcsCards } from '../tester/synthetic/synthetic-wcs';
import { runSextractor } from './support/sextractor';
import {
  type MeasureArguments,
  type MeasuredSingleFrame,
  measureSingleFrame,
} from './support/single-frame-measure';

const RUNS = 3;
const INSTRUMENT = 'LSSTCam';
const DETECTOR = 'R01_S00';
const FWHM = 4;
const EDGE = 3 * FWHM;
/** The reference catalog sits 2″ east and 1.5″ south of where the header WCS puts the stars. */
const REFCAT_OFFSET_ARCSEC = { ra: 2, dec: -1.5 };
const GOAL_MS = 3000;

const geometry = detectorGeometry(INSTRUMENT, DETECTOR);
const round = (v: number, digits = 1) => Math.round(v * 10 ** digits) / 10 ** digits;

function inside(field: StarField, k: number): boolean {
  const x = field.truth.x[k] as number;
  const y = field.truth.y[k] as number;
  return x >= EDGE && y >= EDGE && x <= field.width - 1 - EDGE && y <= field.height - 1 - EDGE;
}

function score(field: StarField, detections: PointSet) {
  const detectionOf = matchToTruth(field.truth, detections, 1);
  const starOf = matchToTruth(detections, field.truth, 1.5);
  return {
    detections: detections.x.length,
    completenessSnr10: round(
      completeness(detectionOf, (k) => (field.truth.snr[k] as number) >= 10 && inside(field, k)),
      4,
    ),
    completenessSnr5to10: round(
      completeness(detectionOf, (k) => {
        const snr = field.truth.snr[k] as number;
        return snr >= 5 && snr < 10 && inside(field, k);
      }),
      4,
    ),
    unmatchedDetections: starOf.filter((k) => k < 0).length,
  };
}

function referenceCatalog(field: StarField, header: Header): { ra: number[]; dec: number[] } {
  const truth = tanWcsFromHeader(header);
  const cosDec = Math.cos((truth.crval2 * Math.PI) / 180);
  const shifted = {
    ...truth,
    crval1: truth.crval1 + REFCAT_OFFSET_ARCSEC.ra / 3600 / cosDec,
    crval2: truth.crval2 + REFCAT_OFFSET_ARCSEC.dec / 3600,
  };
  const ra: number[] = [];
  const dec: number[] = [];
  field.truth.x.forEach((x, k) => {
    const sky = pixelToSky(shifted, x, field.truth.y[k] as number);
    ra.push(sky.ra);
    dec.push(sky.dec);
  });
  return { ra, dec };
}

function measureInChild(args: MeasureArguments): MeasuredSingleFrame {
  // The arguments go through a file: the reference catalog is larger than one argv string may be.
  const argsPath = path.join(args.outputDirectory, 'measure-arguments.json');
  writeFileSync(argsPath, JSON.stringify(args));
  // One core: the child (and its GC threads) pinned with taskset where there is one.
  const node = [
    process.execPath,
    '--expose-gc',
    '-r',
    require.resolve('tsx/cjs'),
    __filename,
    '--measure',
    argsPath,
  ];
  const pinned = spawnSync('sh', ['-c', 'command -v taskset'], { stdio: 'pipe' }).status === 0;
  const [command, ...rest] = pinned ? ['taskset', '-c', '0', ...node] : node;
  const child = spawnSync(command as string, rest, {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  if (child.status !== 0)
    throw new Error(`the measuring process failed (exit ${child.status ?? child.signal})`);
  return JSON.parse(child.stdout) as MeasuredSingleFrame;
}

async function main(): Promise<void> {
  const measureIndex = process.argv.indexOf('--measure');
  if (measureIndex >= 0) {
    const args = JSON.parse(readFileSync(process.argv[measureIndex + 1] ?? '', 'utf8')) as MeasureArguments;
    console.log(
      JSON.stringify(await measureSingleFrame(args, detectorGeometry(args.instrument, args.detector))),
    );
    return;
  }
  const directory = mkdtempSync(path.join(tmpdir(), 'bench-single-frame-'));
  try {
    const field = renderStarField({
      width: geometry.width,
      height: geometry.height,
      seed: 20261128,
      starCount: Math.round(geometry.width * geometry.height * 2.5e-4),
      fwhmPixels: FWHM,
      faintestFlux: 300,
      brightestFlux: 3e6,
      skyElectrons: 800,
      readNoise: 8,
    });
    const made = writeSyntheticDetectorExposure(directory, {
      instrument: INSTRUMENT,
      detector: DETECTOR,
      seed: 20261129,
      electrons: field.expected,
      compress: true,
    });
    const header = new Header(syntheticWcsCards(geometry, made.exposure));
    const measured = measureInChild({
      made: {
        written: made.written,
        ...(made.calibrationPaths ? { calibrationPaths: made.calibrationPaths } : {}),
      },
      instrument: INSTRUMENT,
      detector: DETECTOR,
      refcat: referenceCatalog(field, header),
      outputDirectory: directory,
      runs: RUNS,
      pipelineFile: path.join(__dirname, '..', 'pipelines', INSTRUMENT, 'SingleFrame.yaml'),
    });
    const sources = JSON.parse(readFileSync(measured.sourcesPath, 'utf8')) as { x: number[]; y: number[] };
    const sextractor = runSextractor(
      {
        fitsPath: measured.imagePath,
        medianVariance: measured.medianVariance,
        psfSigma: measured.psf.sigma,
        apertureDiameter: 2 * DEFAULT_DETECTION_OPTIONS.apertureRadiusFwhm * measured.psf.fwhm,
      },
      RUNS,
    );
    const task = (label: string) => {
      const t = measured.tasks.find((s) => s.label === label);
      if (t === undefined) throw new Error(`no timing for task ${label}`);
      return t;
    };
    const sum = (labels: string[], key: 'wallMs' | 'cpuMs') =>
      round(labels.reduce((s, l) => s + task(l)[key], 0));
    const chain = ['isr', 'subtractBackground', 'measurePsf', 'detectAndMeasure'];
    const all = measured.tasks.map((t) => t.label);
    const detection = task('detectAndMeasure');
    console.log(
      JSON.stringify(
        {
          image: {
            instrument: INSTRUMENT,
            detector: DETECTOR,
            width: geometry.width,
            height: geometry.height,
            stars: field.truth.x.length,
            fwhmPixels: FWHM,
            skyElectrons: field.skyElectrons,
            raw: 'RICE_1, 16 amps, master bias/dark/flat and defects applied',
          },
          runs: RUNS,
          oneCore: 'measuring process pinned with taskset -c 0 when available; all tasks single-threaded',
          ours: {
            readRawMs: { wall: round(measured.readRawMs.wall), cpu: round(measured.readRawMs.cpu) },
            steps: measured.tasks.map((t) => ({
              task: t.label,
              wallMs: round(t.wallMs),
              cpuMs: round(t.cpuMs),
            })),
            isrBackgroundPsfDetectionMs: { wall: sum(chain, 'wallMs'), cpu: sum(chain, 'cpuMs') },
            isrBackgroundDetectionMs: {
              wall: sum(['isr', 'subtractBackground', 'detectAndMeasure'], 'wallMs'),
              cpu: sum(['isr', 'subtractBackground', 'detectAndMeasure'], 'cpuMs'),
            },
            goalMs: GOAL_MS,
            pipelineTotalMs: { wall: sum(all, 'wallMs'), cpu: sum(all, 'cpuMs') },
            totalWithReadMs: round(sum(all, 'wallMs') + measured.readRawMs.wall),
            peakRssMiB: Math.round(measured.peakRssMiB),
            psf: { fwhmPixels: round(measured.psf.fwhm, 3), stars: measured.psf.stars },
            backgroundMeshes: measured.backgroundMeshes,
            astrometry: { ...measured.astrometry, rmsPixels: round(measured.astrometry.rmsPixels, 3) },
            ...score(field, sources),
          },
          sextractor: {
            threads: 1,
            absoluteThreshold: round(sextractor.threshold, 2),
            wallMs: round(sextractor.wallMs),
            cpuMs: round(sextractor.cpuMs),
            peakRssMiB: Math.round(sextractor.peakRssMb),
            note: 'same background-subtracted image; whole run: FITS read, filtering, detection, deblending, XWIN and aperture measurement, catalog write',
            ...score(field, sextractor),
          },
          detectionTimeRatio: {
            cpu: round(detection.cpuMs / sextractor.cpuMs, 2),
            wall: round(detection.wallMs / sextractor.wallMs, 2),
          },
          loadAverage1m: round(loadavg()[0] ?? 0),
        },
        null,
        2,
      ),
    );
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
