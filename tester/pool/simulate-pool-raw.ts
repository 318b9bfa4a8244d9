// One pooled raw: the curated group's field rendered through the detector's WCS (stars from the sky
// model plus the group's transients), with the master calibrations seed-central-repo certifies for
// that detector, written as the camera would (LSST MEF with sidecar, or an HSC single HDU) plus a
// truth table. Pure apart from being CPU-heavy: bytes out, nothing written.

import type { LsstAmpSize } from '../../service/domain/camera-geometry/amp-layout';
import { detectorGeometry } from '../../service/domain/camera-geometry/camera-geometry';
import type { DetectorGeometry } from '../../service/domain/camera-geometry/detector-geometry';
import { type Card, type Hdu, writeFits } from '../../service/domain/fits';
import type { InstrumentName } from '../../service/domain/instruments';
import { addStars } from '../../service/domain/synthetic/star-field';
import { pixelToSky, skyToPixel, type TanWcs } from '../../service/domain/wcs/tan-wcs';
import { detectorWcs, wcsCards } from '../camera/detector-wcs';
import { drawTransients, fieldStars, type SkyStar, type Transient } from '../sky/sky-model';
import type { HscExposure } from '../synthetic/hsc-raw-file';
import { hscRawHdus } from '../synthetic/hsc-raw-file';
import { lsstRawHdus, sidecarOf } from '../synthetic/lsst-raw-file';
import { makeMasterCalibrations } from '../synthetic/master-calibrations';
import { simulateRaw } from '../synthetic/simulate-raw';
import type { CuratedGroup } from './curated-groups';

export const SEEING_FWHM_ARCSEC = 0.8;
export const SKY_ELECTRONS = 800;
export const EXPOSURE_TIME_SECONDS = 30;

/**
 * Sky rotation of every pooled raw (ROTPA 0; HSC INST-PA 270). The detector WCSs are laid out
 * unrotated, so next_visit announces this angle and the service's rotation check and detector
 * regions agree with the raws.
 */
export const POOL_ROTATION_DEG = 0;
/** Pool raws are dated here; upload rewrites ids and times. */
export const POOL_MJD_TAI = 60_676.125;

export interface PoolRawOptions {
  readonly instrument: InstrumentName;
  readonly group: CuratedGroup;
  readonly groupIndex: number;
  readonly detector: number;
  readonly ampSize?: LsstAmpSize;
  readonly compress?: boolean;
}

export interface PoolRaw {
  readonly bytes: Uint8Array;
  /** LSST only: the primary header as upstream's sidecar JSON. */
  readonly sidecar?: Record<string, unknown>;
  readonly truth: PoolRawTruth;
  readonly extension: string;
}

export interface PoolRawTruth {
  readonly instrument: InstrumentName;
  readonly group: string;
  readonly detector: number;
  readonly width: number;
  readonly height: number;
  readonly wcs: TanWcs;
  readonly starsRendered: number;
  readonly transients: readonly Transient[];
}

/** Calibration seed of a detector: the same in make-unobserved and seed-central-repo. */
export function calibrationSeed(instrument: InstrumentName, detector: number): number {
  let h = 2166136261;
  for (const c of `${instrument}/${detector}`) h = Math.imul(h ^ c.charCodeAt(0), 16777619) >>> 0;
  return h;
}

/** The star catalog around a curated field (1.1° radius: HSC's outer CCDs are ~1° out). */
export function starsOfField(group: Pick<CuratedGroup, 'raDeg' | 'decDeg'>, radiusDeg = 1.1): SkyStar[] {
  const seed = Math.round((group.raDeg + 1000) * 10) * 7919 + Math.round((group.decDeg + 100) * 10);
  // Fields are named by their position rounded to 0.1°: dithered groups of one field share stars.
  return fieldStars({
    raDeg: Math.round(group.raDeg * 10) / 10,
    decDeg: Math.round(group.decDeg * 10) / 10,
    radiusDeg,
    density: 10_000,
    seed,
  });
}

/** Expected electrons of the stars that fall on (or near) a pixel grid with this WCS. */
export function renderStars(
  stars: readonly SkyStar[],
  wcs: TanWcs,
  width: number,
  height: number,
  fwhmPixels: number,
  skyElectrons: number,
): { electrons: Float32Array; rendered: number } {
  const margin = 4 * fwhmPixels;
  const x: number[] = [];
  const y: number[] = [];
  const flux: number[] = [];
  for (const star of stars) {
    const p = skyToPixel(wcs, star.ra, star.dec);
    if (p.x < -margin || p.y < -margin || p.x > width + margin || p.y > height + margin) continue;
    x.push(p.x);
    y.push(p.y);
    flux.push(star.flux);
  }
  const electrons = new Float32Array(width * height).fill(skyElectrons);
  const truth = { x: Float64Array.from(x), y: Float64Array.from(y), flux: Float64Array.from(flux) };
  addStars(electrons, width, height, truth, fwhmPixels / 2.3548);
  return { electrons, rendered: x.length };
}

export function poolGeometry(instrument: InstrumentName, detector: number, ampSize?: LsstAmpSize) {
  return detectorGeometry(instrument, detector, ampSize ? { ampSize } : {});
}

/**
 * The detector's master calibrations, kept for the next raw of the same detector: a pool simulates
 * several groups per detector, and each set takes about a second for a 4k×4k sensor.
 */
let lastCalibrations: { key: string; value: ReturnType<typeof makeMasterCalibrations> } | undefined;
function masterCalibrationsFor(geometry: ReturnType<typeof poolGeometry>, seed: number) {
  const key = `${geometry.instrument}/${geometry.detector.id}/${geometry.width}x${geometry.height}/${seed}`;
  if (lastCalibrations?.key !== key)
    lastCalibrations = { key, value: makeMasterCalibrations(geometry, { seed }) };
  return lastCalibrations.value;
}

export function simulatePoolRaw(options: PoolRawOptions): PoolRaw {
  const { instrument, group, detector } = options;
  const geometry = poolGeometry(instrument, detector, options.ampSize);
  const wcs = detectorWcs(geometry, { raDeg: group.raDeg, decDeg: group.decDeg });
  const fwhm = SEEING_FWHM_ARCSEC / geometry.pixelScaleArcsec;
  const { electrons, rendered } = renderStars(
    starsOfField(group),
    wcs,
    geometry.width,
    geometry.height,
    fwhm,
    SKY_ELECTRONS,
  );
  const seed = calibrationSeed(instrument, detector) ^ (options.groupIndex * 1_000_003);
  const transients = drawTransients(group.transients, seed + 17, geometry.width, geometry.height, (x, y) =>
    pixelToSky(wcs, x, y),
  );
  addStars(
    electrons,
    geometry.width,
    geometry.height,
    {
      x: Float64Array.from(transients, (t) => t.x),
      y: Float64Array.from(transients, (t) => t.y),
      flux: Float64Array.from(transients, (t) => t.flux),
    },
    fwhm / 2.3548,
  );
  const calibrations = masterCalibrationsFor(geometry, calibrationSeed(instrument, detector));
  const synthetic = simulateRaw({
    geometry,
    seed,
    electrons,
    flat: calibrations.flat,
    darkCurrent: calibrations.dark,
    darkTimeSeconds: EXPOSURE_TIME_SECONDS,
    biasStructure: calibrations.bias,
    defects: calibrations.defects,
  });
  const exposure: HscExposure = {
    dayObs: '20250101',
    seqNum: options.groupIndex + 1,
    groupId: group.name,
    imageType: 'OBJECT',
    filter: group.physicalFilter,
    exposureTimeSeconds: EXPOSURE_TIME_SECONDS,
    beginMjdTai: POOL_MJD_TAI,
    raDeg: group.raDeg,
    decDeg: group.decDeg,
    rotPaDeg: POOL_ROTATION_DEG,
    exposureId: options.groupIndex + 1,
  };
  const truth: PoolRawTruth = {
    instrument,
    group: group.name,
    detector,
    width: geometry.width,
    height: geometry.height,
    wcs,
    starsRendered: rendered,
    transients,
  };
  const hdus = rawHdus(geometry, synthetic.raw, exposure, wcsCards(wcs), options.compress === true);
  const bytes = writeFits(hdus);
  if (geometry.rawFormat === 'hsc-single-hdu') return { bytes, truth, extension: '.fits' };
  const sidecar = sidecarOf(hdus[0]?.header.cards ?? []);
  return { bytes, sidecar, truth, extension: options.compress ? '.fz' : '.fits' };
}

function rawHdus(
  geometry: DetectorGeometry,
  raw: Parameters<typeof hscRawHdus>[0],
  exposure: HscExposure,
  wcs: Card[],
  compress: boolean,
): Hdu[] {
  if (geometry.rawFormat === 'lsst-mef') return lsstRawHdus(raw, exposure, { compress, primaryCards: wcs });
  const [primary, ...rest] = hscRawHdus(raw, exposure);
  if (primary?.kind !== 'image') throw new Error('HSC raw has no primary image');
  let header = primary.header;
  for (const card of wcs) header = header.with(card);
  return [{ ...primary, header }, ...rest];
}
