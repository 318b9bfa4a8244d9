// A seeded science/template pair run through warping, subtraction and DIA detection, shared by the
// differencing tests (each file renders it once). Truth metrics follow astro.md §6.7.

export { expectedFalsePositives, fitHalfEfficiency } from '../../../service/domain/synthetic/dia-metrics';

import { detectDiaSources } from '../../../service/domain/diffim/detect-dia-sources';
import type { DiaSourceTable } from '../../../service/domain/diffim/dia-source-table';
import { psfPhotometer } from '../../../service/domain/diffim/psf-photometry';
import { type Subtraction, subtractImages } from '../../../service/domain/diffim/subtract-images';
import type { TemplatePatch } from '../../../service/domain/diffim/template-mosaic';
import { type WarpedImage, warpExposure } from '../../../service/domain/diffim/warp-exposure';
import type { MaskedImage } from '../../../service/domain/image/masked-image';
import { detectSources } from '../../../service/domain/measurement/detect-sources';
import { circularPsf } from '../../../service/domain/measurement/psf-model';
import { type DiaPair, type DiaPairOptions, renderDiaPair } from '../../../service/domain/synthetic/dia-pair';
import type { TanWcs } from '../../../service/domain/wcs/tan-wcs';

export interface DiaRun {
  readonly pair: DiaPair;
  readonly warped: WarpedImage;
  readonly subtraction: Subtraction;
  readonly dia: DiaSourceTable;
  /** Truth difference-image SNR of each transient: F / σ_F predicted from the difference's variance. */
  readonly transientSnr: Float64Array;
}

/** SNR 3–12.9 in steps of 0.1, repeated: ~45 transients per unit-SNR bin. */
export function transientSnrGrid(count: number): number[] {
  return Array.from({ length: count }, (_, i) => 3 + (i % 100) / 10);
}

export function pairOptions(overrides: Partial<DiaPairOptions> = {}): DiaPairOptions {
  const width = overrides.width ?? 1536;
  const height = overrides.height ?? 1536;
  return {
    width,
    height,
    seed: 6,
    starCount: Math.round((width * height) / 1500),
    faintestFlux: 500,
    brightestFlux: 2e5,
    scienceFwhm: 4,
    templateFwhm: 3,
    skyElectrons: 300,
    readNoise: 6,
    templateDepth: 10,
    transientSnrs: transientSnrGrid(500),
    negativeSnrs: Array(30).fill(10),
    variableSnrs: Array(30).fill(12),
    templateShift: [0.37, -0.21],
    templateRotationDeg: 0.05,
    templateMargin: 24,
    pixelScaleArcsec: 0.2,
    ra: 150,
    dec: 2,
    ...overrides,
  };
}

export function runDia(options: DiaPairOptions): DiaRun {
  const pair = renderDiaPair(options);
  const { science } = pair;
  const sources = detectSources(science, circularPsf(options.scienceFwhm)).sources;
  const warped = warpExposure(
    pair.template,
    pair.templateWcs,
    pair.scienceWcs,
    science.width,
    science.height,
  );
  const subtraction = subtractImages(science, warped, sources);
  const dia = detectDiaSources({
    difference: subtraction.difference,
    science,
    matchedTemplate: subtraction.matchedTemplate,
    differencePsf: subtraction.differencePsf,
    sciencePsf: subtraction.sciencePsf,
  });
  const error = psfPhotometer(subtraction.difference, subtraction.differencePsf);
  const m = { flux: 0, fluxErr: 0 };
  const t = pair.truth.transients;
  const transientSnr = t.flux.map((f, k) => f / error(t.x[k] as number, t.y[k] as number, m).fluxErr);
  return { pair, warped, subtraction, dia, transientSnr };
}

/** Columns [x0, x1) of the template as a patch of its own, with its WCS moved along. */
export function templateColumns(image: MaskedImage, wcs: TanWcs, x0: number, x1: number): TemplatePatch {
  const width = x1 - x0;
  const cut = (plane: Float32Array | Uint16Array) => {
    const out = new (plane.constructor as Float32ArrayConstructor | Uint16ArrayConstructor)(
      width * image.height,
    );
    for (let y = 0; y < image.height; y++)
      out.set(plane.subarray(y * image.width + x0, y * image.width + x1), y * width);
    return out;
  };
  return {
    image: {
      width,
      height: image.height,
      image: cut(image.image) as Float32Array,
      variance: cut(image.variance) as Float32Array,
      mask: cut(image.mask) as Uint16Array,
    },
    wcs: { ...wcs, crpix1: wcs.crpix1 - x0 },
  };
}
