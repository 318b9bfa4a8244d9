// DiaSource detection on a difference image: the single-frame matched-filter detection run on the
// difference and on its negation (negative sources: flux that left since the template), each source
// measured there (centroid, PSF and aperture flux, SNR, pixel flags) and then force-photometered on
// the science and on the matched template. A positive and a negative source closer than the dipole
// radius are both flagged as a dipole (a misregistration or motion signature).

import { MaskBit } from '../image/mask-bits';
import type { MaskedImage } from '../image/masked-image';
import {
  DEFAULT_DETECTION_OPTIONS,
  type Detection,
  type DetectionOptions,
  detectSources,
  matchedFilter,
} from '../measurement/detect-sources';
import { type GaussianPsf, psfFwhm } from '../measurement/psf-model';
import { type DiaSourceTable, emptyDiaSourceTable } from './dia-source-table';
import { type PsfFluxMeasurement, psfPhotometer } from './psf-photometry';

export interface DiaDetectionOptions extends DetectionOptions {
  /** Opposite-sign pairs closer than this many PSF FWHMs are dipoles. */
  readonly dipoleRadiusFwhm: number;
}

export const DEFAULT_DIA_DETECTION_OPTIONS: DiaDetectionOptions = {
  ...DEFAULT_DETECTION_OPTIONS,
  // The difference has no bright-star wings to hide sources in: the second pass finds only noise.
  modelError: 0,
  dipoleRadiusFwhm: 1.5,
};

export interface DiaImages {
  readonly difference: MaskedImage;
  readonly science: MaskedImage;
  readonly matchedTemplate: MaskedImage;
  readonly differencePsf: GaussianPsf;
  readonly sciencePsf: GaussianPsf;
}

export function detectDiaSources(
  images: DiaImages,
  options: DiaDetectionOptions = DEFAULT_DIA_DETECTION_OPTIONS,
): DiaSourceTable {
  const { difference, differencePsf } = images;
  // One matched filter for both signs: the negated difference's filtered image is its negation.
  const filtered = matchedFilter(difference, differencePsf, options);
  const positive = detectSources(difference, differencePsf, options, filtered);
  negateInPlace(filtered);
  const flipped = { ...difference, image: negated(difference.image) };
  const negative = detectSources(flipped, differencePsf, options, filtered);
  const radius = positive.border;
  const keepPositive = measurable(positive, difference.mask, difference.width, radius);
  const keepNegative = measurable(negative, difference.mask, difference.width, radius);
  const table = emptyDiaSourceTable(keepPositive.length + keepNegative.length);
  copyDetection(table, 0, positive, keepPositive, 1);
  copyDetection(table, keepPositive.length, negative, keepNegative, -1);
  flagDipoles(table, options.dipoleRadiusFwhm * psfFwhm(differencePsf));
  forcedFluxes(table, images);
  return table;
}

function negateInPlace(values: Float32Array): void {
  for (let i = 0; i < values.length; i++) values[i] = -(values[i] as number);
}

function negated(values: Float32Array): Float32Array {
  const out = new Float32Array(values.length);
  for (let i = 0; i < values.length; i++) out[i] = -(values[i] as number);
  return out;
}

/**
 * Sources whose matched filter saw NO_DATA (the difference's unconvolvable border, template gaps)
 * are dropped: their significance mixes real pixels with zeros standing in for missing ones.
 */
function measurable(detection: Detection, mask: Uint16Array, width: number, radius: number): number[] {
  const height = mask.length / width;
  const kept: number[] = [];
  const s = detection.sources;
  for (let k = 0; k < s.count; k++) {
    const cx = Math.round(s.x[k] as number);
    const cy = Math.round(s.y[k] as number);
    let clean = cx - radius >= 0 && cy - radius >= 0 && cx + radius < width && cy + radius < height;
    for (let y = cy - radius; clean && y <= cy + radius; y++) {
      for (let x = cx - radius; x <= cx + radius; x++) {
        if (((mask[y * width + x] as number) & MaskBit.NO_DATA) !== 0) {
          clean = false;
          break;
        }
      }
    }
    if (clean) kept.push(k);
  }
  return kept;
}

function copyDetection(
  table: DiaSourceTable,
  at: number,
  detection: Detection,
  rows: readonly number[],
  sign: number,
): void {
  const s = detection.sources;
  const bbox = footprintBoxes(detection);
  for (let r = 0; r < rows.length; r++) {
    const k = rows[r] as number;
    const row = at + r;
    table.x[row] = s.x[k] as number;
    table.y[row] = s.y[k] as number;
    table.xErr[row] = s.xErr[k] as number;
    table.yErr[row] = s.yErr[k] as number;
    table.psfFlux[row] = sign * (s.psfFlux[k] as number);
    table.psfFluxErr[row] = s.psfFluxErr[k] as number;
    table.apFlux[row] = sign * (s.apFlux[k] as number);
    table.apFluxErr[row] = s.apFluxErr[k] as number;
    table.snr[row] = Math.abs(s.snr[k] as number);
    table.isNegative[row] = sign < 0 ? 1 : 0;
    table.bboxSize[row] = bbox[s.parent[k] as number] as number;
    table.flags[row] = s.flags[k] as number;
  }
}

/** Side of each footprint's bounding square. */
function footprintBoxes(detection: Detection): Int32Array {
  const f = detection.footprints;
  const out = new Int32Array(f.count);
  for (let p = 0; p < f.count; p++) {
    let x0 = Infinity;
    let x1 = -Infinity;
    let y0 = Infinity;
    let y1 = -Infinity;
    for (let r = f.runStart[p] as number; r < (f.runStart[p + 1] as number); r++) {
      x0 = Math.min(x0, f.runX0[r] as number);
      x1 = Math.max(x1, f.runX1[r] as number);
      y0 = Math.min(y0, f.runY[r] as number);
      y1 = Math.max(y1, f.runY[r] as number);
    }
    out[p] = Math.max(x1 - x0 + 1, y1 - y0 + 1);
  }
  return out;
}

function flagDipoles(table: DiaSourceTable, radius: number): void {
  const r2 = radius * radius;
  for (let a = 0; a < table.count; a++) {
    if (table.isNegative[a] === 1) continue;
    for (let b = 0; b < table.count; b++) {
      if (table.isNegative[b] !== 1) continue;
      const dx = (table.x[a] as number) - (table.x[b] as number);
      const dy = (table.y[a] as number) - (table.y[b] as number);
      if (dx * dx + dy * dy > r2) continue;
      table.isDipole[a] = 1;
      table.isDipole[b] = 1;
    }
  }
}

function forcedFluxes(table: DiaSourceTable, images: DiaImages): void {
  const science = psfPhotometer(images.science, images.sciencePsf);
  const template = psfPhotometer(images.matchedTemplate, images.differencePsf);
  const m: PsfFluxMeasurement = { flux: 0, fluxErr: 0 };
  for (let i = 0; i < table.count; i++) {
    science(table.x[i] as number, table.y[i] as number, m);
    table.scienceFlux[i] = m.flux;
    table.scienceFluxErr[i] = m.fluxErr;
    template(table.x[i] as number, table.y[i] as number, m);
    table.templateFlux[i] = m.flux;
    table.templateFluxErr[i] = m.fluxErr;
  }
}
