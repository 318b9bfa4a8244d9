// A seeded science/template pair with difference-imaging truth (astro.md §6.5–6.6): one star field
// on the sky, seen by a science exposure and by a deeper template coadd with its own PSF, its own
// (slightly shifted and rotated) TAN WCS and a margin around the science footprint. The science also
// holds new point sources (transients), loses some template-only sources (negatives) and has
// variables with a known ΔF. Fluxes of injected sources are chosen by target difference-image SNR.
// Variance planes are the noiseless expectations, as an ideal ISR would give.

import type { MaskedImage } from '../image/masked-image';
import { pixelToSky, skyToPixel, type TanWcs, tanWcs } from '../wcs/tan-wcs';
import { seededRandom } from './random';
import { addStars } from './star-field';

export interface DiaPairOptions {
  readonly width: number;
  readonly height: number;
  readonly seed: number;
  readonly starCount: number;
  readonly faintestFlux: number;
  readonly brightestFlux: number;
  readonly scienceFwhm: number;
  readonly templateFwhm: number;
  readonly skyElectrons: number;
  readonly readNoise: number;
  /** Template exposure depth relative to the science (its noise is √depth lower). */
  readonly templateDepth: number;
  /** Target difference-image SNRs of the transients, one transient per entry. */
  readonly transientSnrs: readonly number[];
  readonly negativeSnrs: readonly number[];
  /** Target SNR of the variables' ΔF (brightened stars). */
  readonly variableSnrs: readonly number[];
  /** Template pixel-grid offset from the science grid (pixels) and rotation (degrees). */
  readonly templateShift: readonly [number, number];
  readonly templateRotationDeg: number;
  /** Template coadd margin around the science footprint, pixels. */
  readonly templateMargin: number;
  readonly pixelScaleArcsec: number;
  readonly ra: number;
  readonly dec: number;
}

export interface InjectedSources {
  readonly x: Float64Array;
  readonly y: Float64Array;
  /** Flux in the difference (negative for template-only sources), science electrons. */
  readonly flux: Float64Array;
  readonly targetSnr: Float64Array;
}

export interface DiaPair {
  readonly science: MaskedImage;
  readonly scienceWcs: TanWcs;
  /** The template coadd in science flux units, on its own grid. */
  readonly template: MaskedImage;
  readonly templateWcs: TanWcs;
  readonly sciencePsfSigma: number;
  readonly templatePsfSigma: number;
  readonly truth: {
    readonly transients: InjectedSources;
    readonly negatives: InjectedSources;
    readonly variables: InjectedSources;
  };
}

const FWHM_PER_SIGMA = 2 * Math.sqrt(2 * Math.LN2);
const INJECTION_MARGIN = 40;

export function renderDiaPair(o: DiaPairOptions): DiaPair {
  const random = seededRandom(o.seed);
  const sSci = o.scienceFwhm / FWHM_PER_SIGMA;
  const sTmpl = o.templateFwhm / FWHM_PER_SIGMA;
  const scale = o.pixelScaleArcsec / 3600;
  const scienceWcs = tanWcs(o.ra, o.dec, o.width / 2 + 0.5, o.height / 2 + 0.5, [-scale, 0, 0, scale]);
  const theta = (o.templateRotationDeg * Math.PI) / 180;
  const c = Math.cos(theta) * scale;
  const s = Math.sin(theta) * scale;
  const tw = o.width + 2 * o.templateMargin;
  const th = o.height + 2 * o.templateMargin;
  const templateWcs = tanWcs(
    o.ra,
    o.dec,
    tw / 2 + 0.5 + (o.templateShift[0] as number),
    th / 2 + 0.5 + (o.templateShift[1] as number),
    [-c, s, s, c],
  );
  const stars = drawStars(o, random.uniform);
  const variance = o.skyElectrons + o.readNoise ** 2;
  const templateVariance = (o.templateDepth * o.skyElectrons + o.readNoise ** 2) / o.templateDepth ** 2;
  const nEff = 4 * Math.PI * sSci * sSci;
  const fluxFor = (snr: number) => {
    const v = (variance + templateVariance) * nEff;
    return (snr * snr + Math.sqrt(snr ** 4 + 4 * snr * snr * v)) / 2;
  };
  const slots = injectionSlots(
    o,
    o.transientSnrs.length + o.negativeSnrs.length + o.variableSnrs.length,
    random.uniform,
  );
  let next = 0;
  const inject = (snrs: readonly number[], sign: number): InjectedSources => {
    const n = snrs.length;
    const out = {
      x: new Float64Array(n),
      y: new Float64Array(n),
      flux: new Float64Array(n),
      targetSnr: Float64Array.from(snrs),
    };
    for (let k = 0; k < n; k++, next++) {
      out.x[k] = slots.x[next] as number;
      out.y[k] = slots.y[next] as number;
      out.flux[k] = sign * fluxFor(snrs[k] as number);
    }
    return out;
  };
  const transients = inject(o.transientSnrs, 1);
  const negatives = inject(o.negativeSnrs, -1);
  const variables = inject(o.variableSnrs, 1);
  const variableBase = variables.flux.map(() => o.faintestFlux * 20);
  // Science: stars + transients + variables at base + ΔF.
  const scienceSources = concat([
    stars,
    { x: transients.x, y: transients.y, flux: transients.flux },
    { x: variables.x, y: variables.y, flux: variables.flux.map((f, k) => f + (variableBase[k] as number)) },
  ]);
  const science = exposeImage(
    o.width,
    o.height,
    scienceSources,
    sSci,
    o.skyElectrons,
    o.readNoise,
    1,
    random,
  );
  // Template: stars + negatives + variables at base, positions through the template WCS.
  const templateSources = concat([
    stars,
    { x: negatives.x, y: negatives.y, flux: negatives.flux.map((f) => -f) },
    { x: variables.x, y: variables.y, flux: variableBase },
  ]);
  const onTemplate = {
    x: new Float64Array(templateSources.x.length),
    y: new Float64Array(templateSources.x.length),
    flux: templateSources.flux,
  };
  for (let k = 0; k < templateSources.x.length; k++) {
    const sky = pixelToSky(scienceWcs, templateSources.x[k] as number, templateSources.y[k] as number);
    const p = skyToPixel(templateWcs, sky.ra, sky.dec);
    onTemplate.x[k] = p.x;
    onTemplate.y[k] = p.y;
  }
  const template = exposeImage(
    tw,
    th,
    onTemplate,
    sTmpl,
    o.skyElectrons,
    o.readNoise,
    o.templateDepth,
    random,
  );
  return {
    science,
    scienceWcs,
    template,
    templateWcs,
    sciencePsfSigma: sSci,
    templatePsfSigma: sTmpl,
    truth: { transients, negatives, variables },
  };
}

interface Sources {
  readonly x: Float64Array;
  readonly y: Float64Array;
  readonly flux: Float64Array;
}

function concat(parts: readonly Sources[]): Sources {
  const n = parts.reduce((sum, p) => sum + p.x.length, 0);
  const out = { x: new Float64Array(n), y: new Float64Array(n), flux: new Float64Array(n) };
  let at = 0;
  for (const p of parts) {
    out.x.set(p.x, at);
    out.y.set(p.y, at);
    out.flux.set(p.flux, at);
    at += p.x.length;
  }
  return out;
}

function drawStars(o: DiaPairOptions, uniform: () => number): Sources {
  const n = o.starCount;
  const out = { x: new Float64Array(n), y: new Float64Array(n), flux: new Float64Array(n) };
  const mBright = -2.5 * Math.log10(o.brightestFlux);
  const mFaint = -2.5 * Math.log10(o.faintestFlux);
  const cBright = 10 ** (0.3 * mBright);
  const cFaint = 10 ** (0.3 * mFaint);
  for (let k = 0; k < n; k++) {
    const m = Math.log10(cBright + uniform() * (cFaint - cBright)) / 0.3;
    out.flux[k] = 10 ** (-0.4 * m);
    out.x[k] = -10 + uniform() * (o.width + 20);
    out.y[k] = -10 + uniform() * (o.height + 20);
  }
  return out;
}

/** Injection sites on a jittered grid, so injected sources never blend with each other. */
function injectionSlots(
  o: DiaPairOptions,
  count: number,
  uniform: () => number,
): { x: Float64Array; y: Float64Array } {
  const usableW = o.width - 2 * INJECTION_MARGIN;
  const usableH = o.height - 2 * INJECTION_MARGIN;
  const columns = Math.max(1, Math.ceil(Math.sqrt((count * usableW) / usableH)));
  const rows = Math.max(1, Math.ceil(count / columns));
  const cw = usableW / columns;
  const ch = usableH / rows;
  const order = Array.from({ length: columns * rows }, (_, i) => i);
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(uniform() * (i + 1));
    [order[i], order[j]] = [order[j] as number, order[i] as number];
  }
  const x = new Float64Array(count);
  const y = new Float64Array(count);
  for (let k = 0; k < count; k++) {
    const cell = order[k] as number;
    x[k] = INJECTION_MARGIN + ((cell % columns) + 0.25 + 0.5 * uniform()) * cw;
    y[k] = INJECTION_MARGIN + (Math.floor(cell / columns) + 0.25 + 0.5 * uniform()) * ch;
  }
  return { x, y };
}

/** Poisson(depth·λ) + read noise, divided by depth: a calibrated image in single-exposure electrons. */
function exposeImage(
  width: number,
  height: number,
  sources: Sources,
  sigma: number,
  sky: number,
  readNoise: number,
  depth: number,
  random: ReturnType<typeof seededRandom>,
): MaskedImage {
  const expected = new Float32Array(width * height).fill(sky);
  addStars(expected, width, height, sources, sigma);
  const image = new Float32Array(width * height);
  const variance = new Float32Array(width * height);
  const rn2 = readNoise * readNoise;
  for (let i = 0; i < image.length; i++) {
    const lambda = depth * (expected[i] as number);
    image[i] = (random.poisson(lambda) + readNoise * random.normal() - depth * sky) / depth;
    variance[i] = (lambda + rn2) / (depth * depth);
  }
  return { width, height, image, variance, mask: new Uint16Array(width * height) };
}
