// Forced PSF photometry at a fixed position: the amplitude of the unit-flux PSF model by weighted
// least squares with a constant per-pixel variance approximation, F = Σ P·I / Σ P², σ_F² = Σ P²·V / (Σ P²)².
// Used for DiaSources' science and template fluxes and for DiaForcedSources.

import { MaskBit } from '../image/mask-bits';
import type { MaskedImage } from '../image/masked-image';
import { gaussianWindow } from '../measurement/gaussian-window';
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
  const weights = new Float64Array((2 * half + 1) ** 2);
  return (x, y, out) => {
    const cx = Math.round(x);
    const cy = Math.round(y);
    const x0 = Math.max(0, cx - half);
    const y0 = Math.max(0, cy - half);
    const columns = Math.min(width - 1, cx + half) - x0 + 1;
    const rows = Math.min(height - 1, cy + half) - y0 + 1;
    let sumPI = 0;
    let sumPP = 0;
    let sumPPV = 0;
    if (columns > 0 && rows > 0)
      gaussianWindow(model.a, model.b, model.c, x0 - x, y0 - y, columns, rows, weights);
    for (let j = 0; j < rows; j++) {
      for (let i = 0; i < columns; i++) {
        const p = (y0 + j) * width + x0 + i;
        if (((mask[p] as number) & UNUSABLE) !== 0) continue;
        const w = model.norm * (weights[j * columns + i] as number);
        const ww = w * w;
        sumPI += w * (image[p] as number);
        sumPP += ww;
        sumPPV += ww * (variance[p] as number);
      }
    }
    out.flux = sumPP > 0 ? sumPI / sumPP : Number.NaN;
    out.fluxErr = sumPP > 0 ? Math.sqrt(sumPPV) / sumPP : Number.NaN;
    return out;
  };
}
