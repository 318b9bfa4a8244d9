// A copy of an exposure with the PSF models of chosen sources subtracted: the residual the second
// deblending pass measures hidden stars on, so a bright neighbour does not drag their centroids.

import { type MaskedImage, maskedImage } from '../image/masked-image';
import { type GaussianPsf, psfEvaluator } from './psf-model';
import type { SourceCatalog } from './source-catalog';

/** The exposure minus psfFlux·PSF of every source whose parent footprint is a key of `footprints`. */
export function subtractPsfModels(
  exposure: MaskedImage,
  sources: SourceCatalog,
  psf: GaussianPsf,
  footprints: ReadonlyMap<number, unknown>,
): MaskedImage {
  const { width, height } = exposure;
  const image = exposure.image.slice();
  const model = psfEvaluator(psf);
  const half = Math.ceil(5 * Math.sqrt(Math.max(psf.ixx, psf.iyy)));
  for (let s = 0; s < sources.count; s++) {
    const flux = sources.psfFlux[s] as number;
    if (!(flux > 0) || !footprints.has(sources.parent[s] as number)) continue;
    const xc = sources.x[s] as number;
    const yc = sources.y[s] as number;
    const cx = Math.round(xc);
    const cy = Math.round(yc);
    for (let y = Math.max(0, cy - half); y <= Math.min(height - 1, cy + half); y++) {
      const dy = y - yc;
      for (let x = Math.max(0, cx - half); x <= Math.min(width - 1, cx + half); x++) {
        const dx = x - xc;
        const p =
          model.norm * Math.exp(-0.5 * (model.a * dx * dx + 2 * model.b * dx * dy + model.c * dy * dy));
        image[y * width + x] = (image[y * width + x] as number) - flux * p;
      }
    }
  }
  return maskedImage(width, height, image, exposure.variance, exposure.mask);
}
