// Forced PSF photometry at a fixed position: the amplitude of the unit-flux PSF model by weighted
// least squares with a constant per-pixel variance approximation, F = Σ P·I / Σ P², σ_F² = Σ P²·V / (Σ P²)².
// Used for DiaSources' science and template fluxes and for DiaForcedSources.

import { MaskBit } from '../image/mask-bits';
import type { MaskedImage } from '../image/masked-image';
import { type GaussianPsf, psfEvaluator } from '../measurement/psf-model';

export interface PsfFluxMeasurement {
  flux: number;
  fluxErr: number;
}

const UNUSABLE = MaskBit.NO_DATA | MaskBit.BAD | MaskBit.SAT;

export type PsfPhotometer = (x: number, y: number, out: PsfFluxMeasurement) => PsfFluxMeasurement;

export function psfPhotometer(exposure: MaskedImage, psf: GaussianPsf): PsfPhotometer {
  const { width, height, image, variance, mask } = exposure;
  const model = psfEvaluator(psf);
  const half = Math.ceil(4 * Math.sqrt(Math.max(psf.ixx, psf.iyy)));
  return (x, y, out) => {
    const cx = Math.round(x);
    const cy = Math.round(y);
    let sumPI = 0;
    let sumPP = 0;
    let sumPPV = 0;
    for (let py = Math.max(0, cy - half); py <= Math.min(height - 1, cy + half); py++) {
      const dy = py - y;
      for (let px = Math.max(0, cx - half); px <= Math.min(width - 1, cx + half); px++) {
        const i = py * width + px;
        if (((mask[i] as number) & UNUSABLE) !== 0) continue;
        const dx = px - x;
        const p =
          model.norm * Math.exp(-0.5 * (model.a * dx * dx + 2 * model.b * dx * dy + model.c * dy * dy));
        const pp = p * p;
        sumPI += p * (image[i] as number);
        sumPP += pp;
        sumPPV += pp * (variance[i] as number);
      }
    }
    out.flux = sumPP > 0 ? sumPI / sumPP : Number.NaN;
    out.fluxErr = sumPP > 0 ? Math.sqrt(sumPPV) / sumPP : Number.NaN;
    return out;
  };
}
