// Single-frame benchmark on a 4072×4000 synthetic detector (ITL size), one core: per-step and total
// time and peak RSS of PSF fitting, detection + measurement and astrometry, and — in the same run, on
// the same pixels — SExtractor with NTHREADS=1, the same matched filter, the same threshold and
// minimum area. Prints JSON: medians over RUNS, the detection-time ratio ours/SExtractor (CPU and
// wall), and both completeness figures (SNR ≥ 10, within 1 px).
//
// ISR and background are not ours (see docs/pipelines.md): the image is the rendered electrons minus
// the known constant sky, with variance = max(pixel, 0) + read noise², which is what ISR + a
// constant background would hand detection. Usage: npm run bench:single-frame

import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Header, imageHdu, writeFits } from '../service/domain/fits';
import { maskedImage } from '../service/domain/image/masked-image';
import { DEFAULT_DETECTION_OPTIONS, detectSources } from '../service/domain/measurement/detect-sources';
import { fitPsf } from '../service/domain/measurement/fit-psf';
import { type GaussianPsf, psfFwhm, psfSigma } from '../service/domain/measurement/psf-model';
import { gaussianKernel, separableNoiseFactor } from '../service/domain/measurement/separable-filter';
import { completeness, matchToTruth, type PointSet } from '../service/domain/synthetic/match-truth';
import { renderStarField, type StarField } from '../service/domain/synthetic/star-field';
import { refineWcs } from '../service/domain/wcs/refine-wcs';
import { pixelToSky, tanWcsFromHeader } from '../service/domain/wcs/tan-wcs';

const RUNS = 3;
const WIDTH = 4072;
const HEIGHT = 4000;
const EDGE = 12; // 3·FWHM
const SEXTRACTOR = ['source-extractor', 'sex'];

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

function cpuMs(start: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
}

/** Median wall and CPU milliseconds of `RUNS` calls (after one warm-up), and the last result. */
function timed<T>(step: () => T): { wallMs: number; cpuMs: number; result: T } {
  let result = step();
  const walls: number[] = [];
  const cpus: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    const cpu = process.cpuUsage();
    const start = performance.now();
    result = step();
    walls.push(performance.now() - start);
    cpus.push(cpuMs(cpu));
  }
  return { wallMs: median(walls), cpuMs: median(cpus), result };
}

function backgroundSubtracted(field: StarField) {
  const n = field.width * field.height;
  const image = new Float32Array(n);
  const variance = new Float32Array(n);
  const rn2 = field.readNoise ** 2;
  for (let i = 0; i < n; i++) {
    const e = field.electrons[i] as number;
    image[i] = e - field.skyElectrons;
    variance[i] = Math.max(e, 0) + rn2;
  }
  return maskedImage(field.width, field.height, image, variance);
}

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
    completenessSnr10: completeness(
      detectionOf,
      (k) => (field.truth.snr[k] as number) >= 10 && inside(field, k),
    ),
    completenessSnr5to10: completeness(detectionOf, (k) => {
      const snr = field.truth.snr[k] as number;
      return snr >= 5 && snr < 10 && inside(field, k);
    }),
    unmatchedDetections: starOf.filter((k) => k < 0).length,
  };
}

function sextractorBinary(): string {
  for (const name of SEXTRACTOR) {
    try {
      execFileSync('sh', ['-c', `command -v ${name}`], { stdio: 'pipe' });
      return name;
    } catch {}
  }
  throw new Error(
    'SExtractor is not installed: run `bash scripts/install-test-tools.sh` (Debian source-extractor)',
  );
}

interface SextractorRun {
  readonly wallMs: number;
  readonly cpuMs: number;
  readonly peakRssMb: number;
  readonly x: Float64Array;
  readonly y: Float64Array;
}

/** SExtractor on the same pixels and filter, with the same threshold expressed in its units. */
function runSextractor(
  image: Float32Array,
  psf: GaussianPsf,
  variance: Float32Array,
): SextractorRun & { threshold: number } {
  const dir = mkdtempSync(path.join(tmpdir(), 'bench-sextractor-'));
  try {
    const fits = path.join(dir, 'image.fits');
    writeFileSync(fits, writeFits([imageHdu(image, [WIDTH, HEIGHT])]));
    const kernel = gaussianKernel(psfSigma(psf), DEFAULT_DETECTION_OPTIONS.kernelTruncationSigmas);
    // SExtractor normalizes the kernel to unit sum (CONV NORM) and thresholds the filtered image;
    // our threshold ν·√(Σk²·V) in those units is ABSOLUTE ν·σ·√Σk² with σ² the median variance.
    const rows = Array.from(kernel, (a) => Array.from(kernel, (b) => (a * b).toPrecision(6)).join(' '));
    writeFileSync(path.join(dir, 'psf.conv'), `CONV NORM\n${rows.join('\n')}\n`);
    writeFileSync(path.join(dir, 'out.param'), 'XWIN_IMAGE\nYWIN_IMAGE\nFLUX_APER\nFLUXERR_APER\nFLAGS\n');
    const sigma = Math.sqrt(median(Array.from(variance.subarray(0, 1_000_000))));
    const threshold =
      DEFAULT_DETECTION_OPTIONS.thresholdSigma * sigma * Math.sqrt(separableNoiseFactor(kernel));
    const aperture = 2 * DEFAULT_DETECTION_OPTIONS.apertureRadiusFwhm * psfFwhm(psf);
    const args = [
      fits,
      ...['-c', '/usr/share/source-extractor/default.sex'],
      ...[
        '-PARAMETERS_NAME',
        path.join(dir, 'out.param'),
        '-FILTER',
        'Y',
        '-FILTER_NAME',
        path.join(dir, 'psf.conv'),
      ],
      ...[
        '-THRESH_TYPE',
        'ABSOLUTE',
        '-DETECT_THRESH',
        String(threshold),
        '-ANALYSIS_THRESH',
        String(threshold),
      ],
      ...[
        '-DETECT_MINAREA',
        String(DEFAULT_DETECTION_OPTIONS.minPixels),
        '-BACK_TYPE',
        'MANUAL',
        '-BACK_VALUE',
        '0',
      ],
      ...[
        '-PHOT_APERTURES',
        aperture.toFixed(2),
        '-NTHREADS',
        '1',
        '-CHECKIMAGE_TYPE',
        'NONE',
        '-VERBOSE_TYPE',
        'QUIET',
      ],
      ...['-CATALOG_TYPE', 'ASCII_HEAD', '-CATALOG_NAME', path.join(dir, 'out.cat')],
    ];
    const binary = sextractorBinary();
    const usage = path.join(dir, 'usage');
    const walls: number[] = [];
    const cpus: number[] = [];
    const rss: number[] = [];
    for (let run = 0; run < RUNS; run++) {
      const start = performance.now();
      execFileSync('/usr/bin/time', ['-f', '%U %S %M', '-o', usage, binary, ...args], { stdio: 'pipe' });
      walls.push(performance.now() - start);
      const [user, system, maxKb] = readFileSync(usage, 'utf8').trim().split(/\s+/).map(Number) as [
        number,
        number,
        number,
      ];
      cpus.push((user + system) * 1000);
      rss.push(maxKb / 1024);
    }
    const lines = readFileSync(path.join(dir, 'out.cat'), 'utf8')
      .split('\n')
      .filter((l) => l.trim() !== '' && !l.startsWith('#'));
    const x = Float64Array.from(lines, (l) => Number(l.trim().split(/\s+/)[0]) - 1);
    const y = Float64Array.from(lines, (l) => Number(l.trim().split(/\s+/)[1]) - 1);
    return { wallMs: median(walls), cpuMs: median(cpus), peakRssMb: median(rss), x, y, threshold };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function main(): void {
  const field = renderStarField({
    width: WIDTH,
    height: HEIGHT,
    seed: 20261128,
    starCount: Math.round(WIDTH * HEIGHT * 2.5e-4),
    fwhmPixels: 4,
    faintestFlux: 300,
    brightestFlux: 3e6,
    skyElectrons: 800,
    readNoise: 8,
  });
  const background = timed(() => backgroundSubtracted(field));
  const exposure = background.result;
  const psf = timed(() => fitPsf(exposure));
  const detection = timed(() => detectSources(exposure, psf.result));
  const sources = detection.result.sources;
  const astrometry = timed(() => {
    const scale = 0.2 / 3600;
    const truth = tanWcsFromHeader(
      new Header([
        { keyword: 'CTYPE1', value: 'RA---TAN' },
        { keyword: 'CTYPE2', value: 'DEC--TAN' },
        { keyword: 'CRVAL1', value: 150 },
        { keyword: 'CRVAL2', value: 2 },
        { keyword: 'CRPIX1', value: WIDTH / 2 },
        { keyword: 'CRPIX2', value: HEIGHT / 2 },
        { keyword: 'CD1_1', value: -scale },
        { keyword: 'CD2_2', value: scale },
      ]),
    );
    const ra = new Float64Array(field.truth.x.length);
    const dec = new Float64Array(field.truth.x.length);
    field.truth.x.forEach((x, k) => {
      const sky = pixelToSky(truth, x, field.truth.y[k] as number);
      ra[k] = sky.ra;
      dec[k] = sky.dec;
    });
    const header = { ...truth, crval1: truth.crval1 + 2 / 3600, crval2: truth.crval2 - 1.5 / 3600 };
    const bright = Array.from({ length: sources.count }, (_, i) => i).filter(
      (i) => (sources.snr[i] as number) >= 10 && sources.flags[i] === 0,
    );
    return refineWcs(
      header,
      { x: bright.map((i) => sources.x[i] as number), y: bright.map((i) => sources.y[i] as number) },
      { ra, dec },
    );
  });
  const oursPeakRssMb = process.resourceUsage().maxRSS / 1024;
  const sextractor = runSextractor(exposure.image, psf.result, exposure.variance);
  const ours = score(field, sources);
  const theirs = score(field, sextractor);
  const steps = {
    isr: 'not measured here: ISR is implemented separately (issue 5, deliverable 2/4)',
    backgroundConstantMs: background.wallMs,
    psfMs: psf.wallMs,
    detectionAndMeasurementMs: detection.wallMs,
    astrometryMs: astrometry.wallMs,
  };
  console.log(
    JSON.stringify(
      {
        image: {
          width: WIDTH,
          height: HEIGHT,
          stars: field.truth.x.length,
          fwhmPixels: 4,
          skyElectrons: 800,
          readNoise: 8,
        },
        background:
          'constant sky subtracted (the rendered sky level); variance = max(pixel, 0) + read noise²',
        runs: RUNS,
        ours: {
          steps,
          totalMs: background.wallMs + psf.wallMs + detection.wallMs + astrometry.wallMs,
          detectionCpuMs: detection.cpuMs,
          peakRssMb: Math.round(oursPeakRssMb),
          psf: { fwhmPixels: psfFwhm(psf.result), stars: psf.result.starCount },
          astrometry: {
            source: astrometry.result.source,
            matches: astrometry.result.matchCount,
            rmsPixels: astrometry.result.rmsPixels,
          },
          ...ours,
        },
        sextractor: {
          threads: 1,
          absoluteThreshold: sextractor.threshold,
          wallMs: sextractor.wallMs,
          cpuMs: sextractor.cpuMs,
          peakRssMb: Math.round(sextractor.peakRssMb),
          note: 'whole run: FITS read, filtering, detection, deblending (defaults), XWIN and aperture measurement, catalog write',
          ...theirs,
        },
        detectionTimeRatio: {
          cpu: detection.cpuMs / sextractor.cpuMs,
          wall: detection.wallMs / sextractor.wallMs,
        },
      },
      null,
      2,
    ),
  );
}

main();
