import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { detectorGeometry, rawDetectorFromFits } from '../../../service/domain/camera-geometry';
import type { ImageHdu } from '../../../service/domain/fits';
import { MaskBit } from '../../../service/domain/image/mask-bits';
import { type RandomSource, seededRandom } from '../../../service/domain/synthetic/random';
import { readFitsFile } from '../../../service/fits-io/read-fits-file';
import { calibrationImage } from '../../../service/pipeline/tasks/isr/calibrations';
import { runIsr } from '../../../service/pipeline/tasks/isr/isr';
import { rawExposureFromFits } from '../../../service/pipeline/tasks/isr/raw-exposure';
import { lsstExposureId } from '../../../tester/synthetic/exposure-description';
import { sexagesimal } from '../../../tester/synthetic/hsc-raw-file';
import { makeMasterCalibrations } from '../../../tester/synthetic/master-calibrations';
import { simulateRaw } from '../../../tester/synthetic/simulate-raw';
import { writeSyntheticDetectorExposure } from '../../../tester/synthetic/synthetic-exposure';
import {
  writeMasterCalibrations,
  writeSyntheticExposure,
} from '../../../tester/synthetic/write-synthetic-exposure';
import { ampBiases, scaledDetector } from '../isr/scaled-detector';

const directory = mkdtempSync(path.join(tmpdir(), 'synthetic-raw-'));
afterAll(() => rmSync(directory, { recursive: true, force: true }));

const exposure = {
  dayObs: '20250314',
  seqNum: 42,
  groupId: '2025-03-14T03:00:00.000',
  imageType: 'OBJECT',
  filter: 'r_57',
  exposureTimeSeconds: 30,
  beginMjdTai: 60748.125,
  raDeg: 150.5,
  decDeg: -12.25,
  rotPaDeg: 30,
};

/** Same type, length and bytes (vitest's deep equality is slow on 100k-element typed arrays). */
function sameValues(
  a: ArrayLike<number> & ArrayBufferView,
  b: (ArrayLike<number> & ArrayBufferView) | undefined,
): boolean {
  if (b === undefined || a.constructor !== b.constructor || a.length !== b.length) return false;
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(
    Buffer.from(b.buffer, b.byteOffset, b.byteLength),
  );
}

describe('seeded random deviates', () => {
  it('repeats for a seed and differs between seeds', () => {
    const a = seededRandom(5);
    const b = seededRandom(5);
    const c = seededRandom(6);
    const draws = (r: RandomSource) => Array.from({ length: 5 }, () => r.uniform());
    expect(draws(a)).toEqual(draws(b));
    expect(draws(seededRandom(5))).not.toEqual(draws(c));
  });

  it('draws Poisson deviates with mean and variance λ on each path (inversion, rejection, Gaussian)', () => {
    const random = seededRandom(17);
    const n = 40_000;
    for (const lambda of [0.3, 4, 30, 400, 3000]) {
      let sum = 0;
      let sumSq = 0;
      for (let i = 0; i < n; i++) {
        const k = random.poisson(lambda);
        sum += k;
        sumSq += k * k;
      }
      const mean = sum / n;
      const variance = sumSq / n - mean * mean;
      // σ of the sample mean is √(λ/n); of the sample variance ≈ λ·√(2/n) (+ the 4th cumulant, λ/n).
      expect(Math.abs(mean - lambda)).toBeLessThan(5 * Math.sqrt(lambda / n));
      expect(Math.abs(variance - lambda)).toBeLessThan(5 * Math.sqrt((2 * lambda * lambda + lambda) / n));
    }
  });

  it('gives P(0) = e^-λ for small λ (the exact inversion)', () => {
    const random = seededRandom(3);
    const n = 100_000;
    let zeros = 0;
    for (let i = 0; i < n; i++) if (random.poisson(2) === 0) zeros++;
    const p = Math.exp(-2);
    expect(Math.abs(zeros / n - p)).toBeLessThan(5 * Math.sqrt((p * (1 - p)) / n));
  });
});

describe('synthetic LSST raw', () => {
  const geometry = scaledDetector('R22_S11', 2);
  const electrons = new Float32Array(geometry.width * geometry.height).fill(500);
  const synthetic = simulateRaw({ geometry, seed: 99, electrons, ampBias: ampBiases(16, 9) });
  const written = writeSyntheticExposure(directory, synthetic, exposure, {
    compress: true,
    scene: { stars: [] },
  });

  it('is deterministic for a seed', () => {
    const again = simulateRaw({ geometry, seed: 99, electrons, ampBias: ampBiases(16, 9) });
    expect(again.raw.images[3]?.pixels).toEqual(synthetic.raw.images[3]?.pixels);
    const other = simulateRaw({ geometry, seed: 100, electrons, ampBias: ampBiases(16, 9) });
    expect(other.raw.images[3]?.pixels).not.toEqual(synthetic.raw.images[3]?.pixels);
  });

  it('lands at the upstream key with the sidecar and truth table next to it', () => {
    expect(written.key).toBe('LSSTCam/20250314/MC_O_20250314_000042/MC_O_20250314_000042_R22_S11.fz');
    const sidecar = JSON.parse(readFileSync(written.sidecarPath, 'utf8'));
    expect(sidecar).toMatchObject({
      INSTRUME: 'LSSTCam',
      OBSID: 'MC_O_20250314_000042',
      DAYOBS: '20250314',
      SEQNUM: 42,
      GROUPID: exposure.groupId,
      IMGTYPE: 'OBJECT',
      FILTER: 'r_57',
      EXPTIME: 30,
      'DATE-BEG': '2025-03-14T03:00:00.000',
      'MJD-BEG': 60748.125,
      RA: 150.5,
      DEC: -12.25,
      ROTPA: 30,
      CONTRLLR: 'O',
      CURINDEX: 1,
      TIMESYS: 'TAI',
    });
    const truth = JSON.parse(readFileSync(written.truthPath, 'utf8'));
    expect(truth.seed).toBe(99);
    expect(truth.amps).toHaveLength(16);
    expect(truth.amps[0]).toMatchObject({
      name: 'C10',
      gain: geometry.amps[0]?.gain,
      level: ampBiases(16, 9)[0]?.level,
    });
    expect(truth.scene).toEqual({ stars: [] });
    expect(lsstExposureId(exposure)).toBe(2025031400042);
  });

  it('reads back as RICE-compressed int32 amps in the real HDU order, pixel for pixel', () => {
    const file = readFitsFile(written.rawPath);
    expect(file.hdus).toHaveLength(17);
    const amps = file.hdus.slice(1) as ImageHdu[];
    expect(amps.map((h) => h.header.get('EXTNAME'))).toEqual(geometry.amps.map((a) => a.extname));
    expect(amps.every((h) => h.bitpix === 32 && h.compression?.type === 'RICE_1')).toBe(true);
    const raw = rawDetectorFromFits(file, geometry);
    raw.images.forEach((image, i) => {
      expect(sameValues(image.pixels, synthetic.raw.images[i]?.pixels)).toBe(true);
    });
  });

  it('fails when an input array is not the size of the detector', () => {
    expect(() => simulateRaw({ geometry, seed: 1, electrons: new Float32Array(5) })).toThrow(
      /electrons has 5 pixels/,
    );
    expect(() => simulateRaw({ geometry, seed: 1, electrons, ampBias: [] })).toThrow(
      /ampBias needs 16 entries/,
    );
  });
});

describe('master calibrations on disk', () => {
  const geometry = scaledDetector('R01_S00', 3);
  const calibrations = makeMasterCalibrations(geometry, { seed: 4 });
  const paths = writeMasterCalibrations(path.join(directory, 'calib'), calibrations, geometry, 'r_57');

  it('reads back as detector-sized float images equal to the truth, with a flat of mean 1', () => {
    const flat = calibrationImage(readFitsFile(paths.flatPath), geometry, 'flat');
    expect(sameValues(flat, calibrations.flat)).toBe(true);
    expect(
      sameValues(calibrationImage(readFitsFile(paths.biasPath), geometry, 'bias'), calibrations.bias),
    ).toBe(true);
    expect(
      sameValues(calibrationImage(readFitsFile(paths.darkPath), geometry, 'dark'), calibrations.dark),
    ).toBe(true);
    expect(flat.reduce((a, b) => a + b, 0) / flat.length).toBeCloseTo(1, 5);
    expect(JSON.parse(readFileSync(paths.defectsPath, 'utf8'))).toEqual(calibrations.defects);
  });

  it('fails to load a calibration made for another detector size', () => {
    const other = detectorGeometry('LSSTCam', 'R01_S00', { ampSize: { dataWidth: 10, dataHeight: 10 } });
    expect(() => calibrationImage(readFitsFile(paths.flatPath), other, 'flat')).toThrow(
      /flat is 512×256 but LSSTCam R01_S00 is 80×20/,
    );
  });
});

describe('synthetic HSC raw', () => {
  const geometry = detectorGeometry('HSC', 42);
  const electrons = new Float32Array(geometry.width * geometry.height).fill(50);
  // A 3×3 patch at ≈ 52 000 ADU (suspect, not saturated) in amp 1, and a saturated one in amp 2.
  const patches = [
    { x: 100, y: 200, electrons: (52_000 - 1000) * 3.4 },
    { x: 600, y: 300, electrons: 1e6 },
  ];
  for (const patch of patches) {
    for (let y = patch.y; y < patch.y + 3; y++)
      for (let x = patch.x; x < patch.x + 3; x++) electrons[y * geometry.width + x] = patch.electrons;
  }
  const biases = [1000, 1100, 1200, 1300].map((level) => ({ level, rowSlope: 0, columnRipple: 0 }));
  const synthetic = simulateRaw({ geometry, seed: 5, electrons, ampBias: biases, gaussianAbove: 20 });
  const written = writeSyntheticExposure(directory, synthetic, {
    ...exposure,
    filter: 'HSC-I',
    exposureId: 12345,
  });

  it('is one int16 HDU with BZERO 32768 and the HSC keys', () => {
    expect(written.key).toBe(
      'HSC/42/2025-03-14T03:00:00.000/0/12345/HSC-I/HSC-2025-03-14T03:00:00.000-0-12345-HSC-I-42.fits',
    );
    const file = readFitsFile(written.rawPath);
    expect(file.hdus).toHaveLength(1);
    const hdu = file.hdus[0] as ImageHdu;
    expect(hdu.bitpix).toBe(16);
    expect(hdu.axes).toEqual([2144, 4241]);
    expect(hdu.scaling.bzero).toBe(32768);
    expect(hdu.header.get('EXP-ID')).toBe('HSCE00012345');
    expect(hdu.header.get('INSTRUME')).toBe('Hyper Suprime-Cam');
    expect(hdu.header.get('DET-ID')).toBe(42);
    expect(hdu.header.get('FILTER01')).toBe('HSC-I');
    expect(hdu.header.get('DATE-OBS')).toBe('2025-03-14');
    expect(hdu.header.get('RA2000')).toBe('10:02:00.000');
    expect(hdu.header.get('DEC2000')).toBe('-12:15:00.00');
    expect(hdu.header.get('INST-PA')).toBe(240);
    expect(sexagesimal(-0.5, true)).toBe('-00:30:00.00');
  });

  it('goes through ISR from the file: each amp bias recovered, the sky back in electrons', () => {
    const { raw, info } = rawExposureFromFits(readFitsFile(written.rawPath), geometry);
    expect(info).toMatchObject({ filter: 'HSC-I', exposureId: 12345, exposureTimeSeconds: 30 });
    const result = runIsr({ raw });
    result.amps.forEach((stats, a) => {
      // 4176 rows × 14 used overscan columns: σ ≈ 0.02 ADU.
      expect(Math.abs(stats.overscanLevel - (biases[a]?.level ?? 0))).toBeLessThan(0.1);
    });
    const { image, mask } = result.exposure;
    let sum = 0;
    let count = 0;
    for (let i = 0; i < image.length; i++) {
      if (mask[i] !== 0) continue;
      sum += image[i] as number;
      count++;
    }
    // √((50 + 4.5²)/8.5M) ≈ 0.003 e- from the pixels, ~0.01 e- from the per-row bias: 0.05 is > 5σ.
    expect(Math.abs(sum / count - 50)).toBeLessThan(0.05);
    const flagged = (bit: number) => [...mask.keys()].filter((i) => ((mask[i] as number) & bit) !== 0);
    const at = (x: number, y: number) => y * geometry.width + x;
    expect(flagged(MaskBit.SUSPECT)).toEqual(
      [0, 1, 2].flatMap((dy) => [0, 1, 2].map((dx) => at(100 + dx, 200 + dy))),
    );
    expect(flagged(MaskBit.SAT)).toEqual(
      [0, 1, 2].flatMap((dy) => [0, 1, 2].map((dx) => at(600 + dx, 300 + dy))),
    );
  });
});

describe('raw exposures read for ISR', () => {
  it('carries filter, times, exposure id and group from the LSST header', () => {
    const geometry = scaledDetector('R22_S11', 2);
    const electrons = new Float32Array(geometry.width * geometry.height).fill(100);
    const synthetic = simulateRaw({ geometry, seed: 1, electrons });
    const written = writeSyntheticExposure(path.join(directory, 'meta'), synthetic, {
      ...exposure,
      darkTimeSeconds: 31,
    });
    const { metadata, info, raw } = rawExposureFromFits(readFitsFile(written.rawPath), geometry);
    expect(info).toMatchObject({
      instrument: 'LSSTCam',
      detector: 94,
      detectorName: 'R22_S11',
      filter: 'r_57',
      exposureTimeSeconds: 30,
      darkTimeSeconds: 31,
      exposureId: 2025031400042,
      groupId: exposure.groupId,
    });
    expect(metadata.get('OBSID')).toBe('MC_O_20250314_000042');
    expect(raw.images).toHaveLength(16);
  });
});

describe('a whole synthetic exposure in one call', () => {
  it('writes raw, sidecar, truth and calibrations that ISR turns back into the sky', () => {
    const made = writeSyntheticDetectorExposure(path.join(directory, 'whole'), {
      instrument: 'LATISS',
      detector: 0,
      seed: 12,
      ampSize: { dataWidth: 32, dataHeight: 64 },
      skyElectrons: 400,
      compress: true,
    });
    const { raw, info } = rawExposureFromFits(readFitsFile(made.written.rawPath), made.geometry);
    const { darkTimeSeconds } = info;
    const paths = made.calibrationPaths;
    if (!paths) throw new Error('no calibrations written');
    const calibrations = {
      bias: calibrationImage(readFitsFile(paths.biasPath), made.geometry, 'bias'),
      dark: calibrationImage(readFitsFile(paths.darkPath), made.geometry, 'dark'),
      flat: calibrationImage(readFitsFile(paths.flatPath), made.geometry, 'flat'),
    };
    const { image } = runIsr({ raw, calibrations, darkTimeSeconds }).exposure;
    const sorted = Float32Array.from(image).sort();
    // Median of 32 768 pixels of σ ≈ 21 e-: its σ is ≈ 0.15 e-; the hot column and dead boxes barely move it.
    expect(Math.abs((sorted[sorted.length >> 1] as number) - 400)).toBeLessThan(1);
    expect(made.written.key).toBe('LATISS/20250101/AT_O_20250101_000001/AT_O_20250101_000001_R00_S00.fz');
  });
});
