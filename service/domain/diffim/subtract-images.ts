// PSF-matched image subtraction, science − template, in the science image's flux units. The PSFs of
// both images are measured on the kernel stamps; the image with the narrower PSF is convolved to
// match the other (convolving the wider one would need a deconvolution). The difference carries the
// propagated variance (V_sci + K²⊗V_tmpl, or the mirror when the science is convolved) and the ORed
// masks; its PSF is the wider of the two.

import type { MaskedImage } from '../image/masked-image';
import { adaptiveMoments } from '../measurement/adaptive-moments';
import { type GaussianPsf, gaussianPsf, psfSigma } from '../measurement/psf-model';
import type { SourceCatalog } from '../measurement/source-catalog';
import { type ConvolutionOptions, convolveKernelField, DEFAULT_CONVOLUTION_OPTIONS } from './convolve-kernel';
import {
  fitMatchingKernel,
  KernelFitError,
  type KernelFitOptions,
  kernelImageAt,
  kernelSum,
  localCoefficients,
  type MatchingKernel,
} from './fit-matching-kernel';
import { kernelBasis } from './kernel-basis';
import { selectKernelStamps } from './kernel-stamps';

export interface SubtractionOptions {
  /** Stars at least this bright (catalog SNR) make kernel stamps. */
  readonly stampMinSnr: number;
  readonly stampIsolationPixels: number;
  readonly maxStamps: number;
  /** Basis Gaussian widths in units of the matching width √|σ_wide² − σ_narrow²|. */
  readonly basisSigmaFactors: readonly number[];
  readonly basisDegrees: readonly number[];
  readonly fit: KernelFitOptions;
  readonly convolution: ConvolutionOptions;
}

export const DEFAULT_SUBTRACTION_OPTIONS: SubtractionOptions = {
  stampMinSnr: 50,
  stampIsolationPixels: 20,
  maxStamps: 96,
  basisSigmaFactors: [0.5, 1, 2],
  basisDegrees: [4, 2, 2],
  fit: { stampHalf: 0, clipSigma: 3, clipIterations: 2, minStamps: 8 },
  convolution: DEFAULT_CONVOLUTION_OPTIONS,
};

export type MatchingMode = 'convolveTemplate' | 'convolveScience';

export interface Subtraction {
  readonly difference: MaskedImage;
  /** The template as the difference subtracted it, in science flux units. */
  readonly matchedTemplate: MaskedImage;
  readonly mode: MatchingMode;
  readonly kernel: MatchingKernel;
  readonly sciencePsf: GaussianPsf;
  readonly templatePsf: GaussianPsf;
  /** PSF of the difference (the wider of the two). */
  readonly differencePsf: GaussianPsf;
}

/** Stamps are selected with room for the widest kernel and stamp this code builds. */
const SELECTION_HALF = 25;
const MIN_MATCHING_SIGMA = 0.5;

export function subtractImages(
  science: MaskedImage,
  template: MaskedImage,
  sources: SourceCatalog,
  options: SubtractionOptions = DEFAULT_SUBTRACTION_OPTIONS,
): Subtraction {
  const solution = fitSubtractionKernel(science, template, sources, options);
  const convolved = convolveForSubtraction(science, template, solution, options);
  return finishSubtraction(science, template, solution, convolved);
}

/** The fitted kernel, the measured PSFs and the matching direction: everything before convolution. */
export interface KernelSolution {
  readonly mode: MatchingMode;
  readonly kernel: MatchingKernel;
  readonly sciencePsf: GaussianPsf;
  readonly templatePsf: GaussianPsf;
}

/** Step 1: stamps, PSFs, direction, basis and the kernel fit. */
export function fitSubtractionKernel(
  science: MaskedImage,
  template: MaskedImage,
  sources: SourceCatalog,
  options: SubtractionOptions = DEFAULT_SUBTRACTION_OPTIONS,
): KernelSolution {
  if (science.width !== template.width || science.height !== template.height) {
    throw new RangeError(
      `template ${template.width}×${template.height} is not on the science grid ${science.width}×${science.height}: warp it first`,
    );
  }
  const stamps = selectKernelStamps(sources, science, template, {
    half: SELECTION_HALF,
    minSnr: options.stampMinSnr,
    isolationPixels: options.stampIsolationPixels,
    maxStamps: options.maxStamps,
  });
  const sciencePsf = stampPsf(science, stamps.x, stamps.y);
  const templatePsf = stampPsf(template, stamps.x, stamps.y);
  const sScience = psfSigma(sciencePsf);
  const sTemplate = psfSigma(templatePsf);
  const mode: MatchingMode = sTemplate <= sScience ? 'convolveTemplate' : 'convolveScience';
  const matchingSigma = Math.max(Math.sqrt(Math.abs(sScience ** 2 - sTemplate ** 2)), MIN_MATCHING_SIGMA);
  const sigmas = options.basisSigmaFactors.map((f) => f * matchingSigma);
  const half = Math.min(Math.max(Math.ceil(3 * Math.max(...sigmas)), 4), 15);
  const basis = kernelBasis({ sigmas, degrees: options.basisDegrees, half });
  const stampHalf =
    options.fit.stampHalf > 0
      ? options.fit.stampHalf
      : Math.min(half + Math.ceil(3 * Math.max(sScience, sTemplate)), SELECTION_HALF - half);
  const fitOptions = { ...options.fit, stampHalf: Math.max(stampHalf, 3) };
  const [target, reference] = mode === 'convolveTemplate' ? [science, template] : [template, science];
  const kernel = fitMatchingKernel(target, reference, basis, stamps, fitOptions);
  const scale = kernelSum(kernel);
  if (!(scale > 0))
    throw new KernelFitError(`the matching kernel sums to ${scale}: the template and science do not match`);
  return { mode, kernel, sciencePsf, templatePsf };
}

/** Step 2: the narrower-PSF image convolved with the spatially varying kernel (the costly part). */
export function convolveForSubtraction(
  science: MaskedImage,
  template: MaskedImage,
  solution: KernelSolution,
  options: SubtractionOptions = DEFAULT_SUBTRACTION_OPTIONS,
): MaskedImage {
  const { kernel } = solution;
  const reference = solution.mode === 'convolveTemplate' ? template : science;
  return convolveKernelField(
    reference,
    { half: kernel.basis.half, kernelAt: (x, y, out) => kernelImageAt(kernel, x, y, out) },
    options.convolution,
  );
}

/** Step 3: background, photometric scaling and the difference with its variance and mask. */
export function finishSubtraction(
  science: MaskedImage,
  template: MaskedImage,
  solution: KernelSolution,
  convolved: MaskedImage,
): Subtraction {
  const { mode, kernel, sciencePsf, templatePsf } = solution;
  const scale = kernelSum(kernel);
  const background = backgroundPlane(kernel);
  const differencePsf = mode === 'convolveTemplate' ? sciencePsf : templatePsf;
  const common = { mode, kernel, sciencePsf, templatePsf, differencePsf };
  if (mode === 'convolveTemplate') {
    // The convolved template is this subtraction's own buffer: the background is added in place, in
    // the same pass that subtracts it.
    return {
      ...common,
      matchedTemplate: convolved,
      difference: subtractMatched(science, convolved, background),
    };
  }
  // Template ≈ K⊗science + b: difference = (K⊗science + b − template)/κ, template as (template − b)/κ.
  const matched = combine(template, background, 1 / scale, -1, convolved.mask, 1 / scale);
  const scaledScience = combine(convolved, background, 1 / scale, 0, template.mask, 1 / scale);
  return { ...common, matchedTemplate: matched, difference: subtract(scaledScience, matched, 1) };
}

/** Median adaptive moments of the stamp stars: the PSF of `image` near them. */
function stampPsf(image: MaskedImage, xs: Int32Array, ys: Int32Array): GaussianPsf {
  const ixx: number[] = [];
  const iyy: number[] = [];
  const ixy: number[] = [];
  for (let s = 0; s < xs.length; s++) {
    const m = adaptiveMoments(
      image.image,
      image.width,
      image.height,
      xs[s] as number,
      ys[s] as number,
      4,
      15,
    );
    if (!m) continue;
    ixx.push(m.ixx);
    iyy.push(m.iyy);
    ixy.push(m.ixy);
  }
  if (ixx.length < 3) {
    throw new KernelFitError(
      `only ${ixx.length} stamp stars gave PSF moments: need bright isolated stars in both images`,
    );
  }
  return gaussianPsf(median(ixx), median(iyy), median(ixy), ixx.length);
}

function backgroundPlane(kernel: MatchingKernel): (x: number, y: number) => number {
  const local = new Float64Array(kernel.basis.count + 1);
  localCoefficients(kernel, 0, 0, local);
  const b0 = local[kernel.basis.count] as number;
  localCoefficients(kernel, kernel.width - 1, 0, local);
  const bx = ((local[kernel.basis.count] as number) - b0) / Math.max(kernel.width - 1, 1);
  localCoefficients(kernel, 0, kernel.height - 1, local);
  const by = ((local[kernel.basis.count] as number) - b0) / Math.max(kernel.height - 1, 1);
  return (x, y) => b0 + bx * x + by * y;
}

/** science − (matched + background), adding the background to `matched` in place on the way. */
function subtractMatched(
  science: MaskedImage,
  matched: MaskedImage,
  background: (x: number, y: number) => number,
): MaskedImage {
  const { width, height } = science;
  const n = width * height;
  const image = new Float32Array(n);
  const variance = new Float32Array(n);
  const mask = new Uint16Array(n);
  const m = matched.image;
  for (let y = 0; y < height; y++) {
    const b0 = background(0, y);
    const b1 = background(1, y) - b0;
    const o = y * width;
    for (let x = 0; x < width; x++) {
      const i = o + x;
      const value = (m[i] as number) + b0 + b1 * x;
      m[i] = value;
      image[i] = (science.image[i] as number) - (m[i] as number);
      variance[i] = (science.variance[i] as number) + (matched.variance[i] as number);
      mask[i] = (science.mask[i] as number) | (matched.mask[i] as number);
    }
  }
  return { width, height, image, variance, mask };
}

/** scale·(image + sign·background(x, y)), variance·varianceScale², masks ORed with `extraMask`. */
function combine(
  input: MaskedImage,
  background: (x: number, y: number) => number,
  scale: number,
  sign: number,
  extraMask: Uint16Array | null,
  varianceScale: number,
): MaskedImage {
  const { width, height } = input;
  const image = new Float32Array(width * height);
  const variance = new Float32Array(width * height);
  const mask = Uint16Array.from(input.mask);
  const v2 = varianceScale * varianceScale;
  for (let y = 0; y < height; y++) {
    const b0 = background(0, y);
    const b1 = background(1, y) - b0;
    const o = y * width;
    for (let x = 0; x < width; x++) {
      image[o + x] = scale * ((input.image[o + x] as number) + sign * (b0 + b1 * x));
      variance[o + x] = v2 * (input.variance[o + x] as number);
      if (extraMask) mask[o + x] = (mask[o + x] as number) | (extraMask[o + x] as number);
    }
  }
  return { width, height, image, variance, mask };
}

function subtract(a: MaskedImage, b: MaskedImage, scale: number): MaskedImage {
  const n = a.width * a.height;
  const image = new Float32Array(n);
  const variance = new Float32Array(n);
  const mask = new Uint16Array(n);
  for (let i = 0; i < n; i++) {
    image[i] = scale * ((a.image[i] as number) - (b.image[i] as number));
    variance[i] = (a.variance[i] as number) + (b.variance[i] as number);
    mask[i] = (a.mask[i] as number) | (b.mask[i] as number);
  }
  return { width: a.width, height: a.height, image, variance, mask };
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}
