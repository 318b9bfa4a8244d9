// Master calibrations with known truth: a bias pattern (e-), a dark current map (e-/s) with hot
// pixels, a flat field (mean 1: a smooth vignetting-like gradient times pixel-to-pixel response) and
// defects (hot columns, dead boxes). The same arrays feed the raw simulation and, written as FITS, ISR.

import type { Box } from '../../service/domain/camera-geometry/box';
import type { DetectorGeometry } from '../../service/domain/camera-geometry/detector-geometry';
import { type Card, exposureHdus, type Hdu } from '../../service/domain/fits';
import { type RandomSource, seededRandom } from '../../service/domain/synthetic/random';
import type { Defect } from './simulate-raw';

export interface MasterCalibrationSpec {
  readonly seed: number;
  /** RMS of the bias pattern, e- (a per-column stripe plus white pixel noise). Default 2. */
  readonly biasRms?: number;
  /** Mean dark current, e-/s. Default 0.002. */
  readonly darkCurrent?: number;
  /** Fraction of hot dark pixels (10 e-/s each). Default 1e-5. */
  readonly hotPixelFraction?: number;
  /** Peak-to-peak of the flat's smooth gradient. Default 0.2 (0.9 to 1.1). */
  readonly flatGradient?: number;
  /** RMS of the flat's pixel-to-pixel response. Default 0.01. */
  readonly flatPixelRms?: number;
  /** Hot columns (extra electrons per pixel in every exposure). Default 1. */
  readonly hotColumns?: number;
  /** Dead 3×3 boxes. Default 2. */
  readonly deadBoxes?: number;
}

export interface MasterCalibrations {
  readonly bias: Float32Array;
  readonly dark: Float32Array;
  readonly flat: Float32Array;
  readonly defects: readonly Defect[];
}

export function makeMasterCalibrations(
  geometry: DetectorGeometry,
  spec: MasterCalibrationSpec,
): MasterCalibrations {
  const { width, height } = geometry;
  const random = seededRandom(spec.seed);
  const n = width * height;
  const biasRms = spec.biasRms ?? 2;
  const columnStripe = new Float32Array(width);
  for (let x = 0; x < width; x++) columnStripe[x] = (biasRms / Math.SQRT2) * random.normal();
  const bias = new Float32Array(n);
  const dark = new Float32Array(n);
  const flat = new Float32Array(n);
  const darkMean = spec.darkCurrent ?? 0.002;
  const hotFraction = spec.hotPixelFraction ?? 1e-5;
  const gradient = spec.flatGradient ?? 0.2;
  const pixelRms = spec.flatPixelRms ?? 0.01;
  for (let y = 0; y < height; y++) {
    const v = y / Math.max(1, height - 1) - 0.5;
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      const u = x / Math.max(1, width - 1) - 0.5;
      bias[i] = (columnStripe[x] as number) + (biasRms / Math.SQRT2) * random.normal();
      dark[i] = random.uniform() < hotFraction ? 10 : darkMean;
      // A dome of ±gradient/2 around 1: brighter at the centre, as vignetting makes it.
      flat[i] = (1 + gradient * (0.5 - 2 * (u * u + v * v))) * (1 + pixelRms * random.normal());
    }
  }
  normalizeMean(flat);
  return { bias, dark, flat, defects: drawDefects(geometry, spec, random) };
}

function normalizeMean(values: Float32Array): void {
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += values[i] as number;
  const mean = sum / values.length;
  for (let i = 0; i < values.length; i++) values[i] = (values[i] as number) / mean;
}

function drawDefects(
  geometry: DetectorGeometry,
  spec: MasterCalibrationSpec,
  random: RandomSource,
): Defect[] {
  const { width, height } = geometry;
  const defects: Defect[] = [];
  for (let k = 0; k < (spec.hotColumns ?? 1); k++) {
    const x = 8 + Math.floor(random.uniform() * (width - 16));
    const y0 = Math.floor(random.uniform() * height * 0.5);
    defects.push({ box: { x0: x, y0, width: 1, height: height - y0 }, kind: 'hot', electrons: 500 });
  }
  for (let k = 0; k < (spec.deadBoxes ?? 2); k++) {
    const box: Box = {
      x0: 4 + Math.floor(random.uniform() * (width - 12)),
      y0: 4 + Math.floor(random.uniform() * (height - 12)),
      width: 3,
      height: 3,
    };
    defects.push({ box, kind: 'dead' });
  }
  return defects;
}

export type CalibrationType = 'bias' | 'dark' | 'flat';

const UNITS: Readonly<Record<CalibrationType, string>> = { bias: 'electron', dark: 'electron/s', flat: '' };

/** A master calibration as one float32 primary image with the keys that say what it is and for whom. */
export function calibrationHdus(
  type: CalibrationType,
  pixels: Float32Array,
  geometry: DetectorGeometry,
  filter?: string,
): Hdu[] {
  const cards: Card[] = [
    { keyword: 'OBSTYPE', value: type.toUpperCase() },
    { keyword: 'CALIBTYP', value: type },
    { keyword: 'INSTRUME', value: geometry.instrument },
    { keyword: 'DETECTOR', value: geometry.detector.id },
    { keyword: 'DETNAME', value: geometry.detector.name },
    { keyword: 'BUNIT', value: UNITS[type] },
    ...(filter !== undefined ? [{ keyword: 'FILTER', value: filter }] : []),
  ];
  // An Exposure file (MASK and VARIANCE planes beside the image), as the pipelines read calibrations.
  return exposureHdus({ image: pixels, width: geometry.width, height: geometry.height, cards });
}
