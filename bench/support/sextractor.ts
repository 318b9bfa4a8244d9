// SExtractor as the benchmark's peer: the same pixels, our matched filter written as a CONV NORM
// kernel, our threshold expressed in its units, the same minimum area, no background of its own,
// NTHREADS=1; timed with /usr/bin/time (wall, CPU, peak RSS), medians over `runs`.

import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DEFAULT_DETECTION_OPTIONS } from '../../service/domain/measurement/detect-sources';
import { gaussianKernel, separableNoiseFactor } from '../../service/domain/measurement/separable-filter';

const BINARIES = ['source-extractor', 'sex'];

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

function sextractorBinary(): string {
  for (const name of BINARIES) {
    try {
      execFileSync('sh', ['-c', `command -v ${name}`], { stdio: 'pipe' });
      return name;
    } catch {}
  }
  throw new Error(
    'SExtractor is not installed: run `bash scripts/install-test-tools.sh` (Debian source-extractor)',
  );
}

export interface SextractorImage {
  /** A FITS file of the background-subtracted pixels our detection saw. */
  readonly fitsPath: string;
  /** Median variance of the image: our per-pixel threshold becomes SExtractor's absolute one. */
  readonly medianVariance: number;
  /** The matched filter's Gaussian σ and our aperture diameter, pixels. */
  readonly psfSigma: number;
  readonly apertureDiameter: number;
}

export interface SextractorRun {
  readonly wallMs: number;
  readonly cpuMs: number;
  readonly peakRssMb: number;
  readonly threshold: number;
  readonly x: Float64Array;
  readonly y: Float64Array;
}

export function runSextractor(input: SextractorImage, runs: number): SextractorRun {
  const dir = mkdtempSync(path.join(tmpdir(), 'bench-sextractor-'));
  try {
    const fits = input.fitsPath;
    const kernel = gaussianKernel(input.psfSigma, DEFAULT_DETECTION_OPTIONS.kernelTruncationSigmas);
    // SExtractor normalizes the kernel to unit sum (CONV NORM) and thresholds the filtered image;
    // our threshold ν·√(Σk²·V) in those units is ABSOLUTE ν·σ·√Σk² with σ² the median variance.
    const rows = Array.from(kernel, (a) => Array.from(kernel, (b) => (a * b).toPrecision(6)).join(' '));
    writeFileSync(path.join(dir, 'psf.conv'), `CONV NORM\n${rows.join('\n')}\n`);
    writeFileSync(path.join(dir, 'out.param'), 'XWIN_IMAGE\nYWIN_IMAGE\nFLUX_APER\nFLUXERR_APER\nFLAGS\n');
    const threshold =
      DEFAULT_DETECTION_OPTIONS.thresholdSigma *
      Math.sqrt(input.medianVariance) *
      Math.sqrt(separableNoiseFactor(kernel));
    const args = [
      fits,
      ...['-c', '/usr/share/source-extractor/default.sex'],
      ...['-PARAMETERS_NAME', path.join(dir, 'out.param')],
      ...['-FILTER', 'Y', '-FILTER_NAME', path.join(dir, 'psf.conv')],
      ...['-THRESH_TYPE', 'ABSOLUTE', '-DETECT_THRESH', String(threshold)],
      ...['-ANALYSIS_THRESH', String(threshold)],
      ...['-DETECT_MINAREA', String(DEFAULT_DETECTION_OPTIONS.minPixels)],
      ...['-BACK_TYPE', 'MANUAL', '-BACK_VALUE', '0'],
      ...['-PHOT_APERTURES', input.apertureDiameter.toFixed(2), '-NTHREADS', '1'],
      ...['-CHECKIMAGE_TYPE', 'NONE', '-VERBOSE_TYPE', 'QUIET'],
      ...['-CATALOG_TYPE', 'ASCII_HEAD', '-CATALOG_NAME', path.join(dir, 'out.cat')],
    ];
    const binary = sextractorBinary();
    const usage = path.join(dir, 'usage');
    const walls: number[] = [];
    const cpus: number[] = [];
    const rss: number[] = [];
    for (let run = 0; run < runs; run++) {
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
    return { wallMs: median(walls), cpuMs: median(cpus), peakRssMb: median(rss), threshold, x, y };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
