// Simulates a detector readout from the electrons expected in each pixel (astro.md §6.4): flat-field
// response, dark current and hot columns add to the expectation; Poisson noise, read noise, the bias
// structure, conversion to ADU by each amp's gain, its bias level (with a row gradient and an optional
// column pattern), rounding and clipping at saturation produce the raw. Prescan and overscan pixels get
// bias and read noise only, so ISR must find the bias there. Everything random comes from one seed.

import type { Box } from '../../service/domain/camera-geometry/box';
import type { AmpGeometry, DetectorGeometry } from '../../service/domain/camera-geometry/detector-geometry';
import type { RawDetector, RawImage } from '../../service/domain/camera-geometry/raw-detector';
import { type RandomSource, seededRandom } from '../../service/domain/synthetic/random';

/** The bias an amp adds, in ADU. */
export interface AmpBias {
  readonly level: number;
  /** Added per raw row (a slow drift that the serial overscan sees row by row). */
  readonly rowSlope: number;
  /** Amplitude of a column pattern (period 37 columns) in the data and parallel-overscan columns. */
  readonly columnRipple: number;
}

export interface Defect {
  readonly box: Box;
  /** Hot: extra expected electrons per pixel; dead: no response at all. */
  readonly kind: 'hot' | 'dead';
  readonly electrons?: number;
}

export interface SyntheticRawSpec {
  /** Its amps' gain, read noise and saturation are the truth the raw is made with. */
  readonly geometry: DetectorGeometry;
  readonly seed: number;
  /** Expected electrons per detector pixel (sky + sources), before the flat field; detector-sized. */
  readonly electrons: Float32Array;
  /** Relative response per pixel (the flat field truth); default 1. */
  readonly flat?: Float32Array;
  /** Dark current, e-/s per pixel; with `darkTimeSeconds`. */
  readonly darkCurrent?: Float32Array;
  readonly darkTimeSeconds?: number;
  /** Fixed bias pattern in electrons (what a master bias holds); no noise of its own. */
  readonly biasStructure?: Float32Array;
  /** Per amp in geometry order; default: levels drawn from the seed in 15000–25000 ADU, no slope. */
  readonly ampBias?: readonly AmpBias[];
  readonly defects?: readonly Defect[];
  /** Expected counts above which Poisson deviates are drawn as rounded Gaussians. */
  readonly gaussianAbove?: number;
}

export interface AmpTruth extends AmpBias {
  readonly name: string;
  readonly gain: number;
  readonly readNoise: number;
  readonly saturation: number;
  /** Raw pixels clipped at the saturation level. */
  readonly saturatedPixels: number;
}

export interface SyntheticRawTruth {
  readonly seed: number;
  readonly instrument: string;
  readonly detector: string;
  readonly width: number;
  readonly height: number;
  readonly darkTimeSeconds: number;
  readonly gaussianAbove: number;
  readonly amps: readonly AmpTruth[];
  readonly defects: readonly Defect[];
}

export interface SyntheticRaw {
  readonly raw: RawDetector;
  readonly truth: SyntheticRawTruth;
}

const RIPPLE_PERIOD = 37;

/** The raw images this module writes: int32 amps (LSST) or HSC's uint16 image. */
interface WritableRawImage extends RawImage {
  readonly pixels: Int32Array | Uint16Array;
}

export function simulateRaw(spec: SyntheticRawSpec): SyntheticRaw {
  const { geometry } = spec;
  const pixelCount = geometry.width * geometry.height;
  for (const [name, array] of Object.entries({
    electrons: spec.electrons,
    flat: spec.flat,
    darkCurrent: spec.darkCurrent,
    biasStructure: spec.biasStructure,
  })) {
    if (array !== undefined && array.length !== pixelCount) {
      throw new Error(
        `${name} has ${array.length} pixels but the detector has ${geometry.width}×${geometry.height}`,
      );
    }
  }
  const random = seededRandom(spec.seed);
  const ampBias =
    spec.ampBias ??
    geometry.amps.map(() => ({ level: 15_000 + 10_000 * random.uniform(), rowSlope: 0, columnRipple: 0 }));
  if (ampBias.length !== geometry.amps.length)
    throw new Error(`ampBias needs ${geometry.amps.length} entries, got ${ampBias.length}`);
  const expected = expectedElectrons(spec);
  const images: WritableRawImage[] = geometry.rawImages.map(({ width, height }) => ({
    width,
    height,
    pixels:
      geometry.rawFormat === 'hsc-single-hdu'
        ? new Uint16Array(width * height)
        : new Int32Array(width * height),
  }));
  const gaussianAbove = spec.gaussianAbove ?? 1000;
  const amps = geometry.amps.map((amp, i) => {
    const image = images[amp.image] as WritableRawImage;
    const bias = ampBias[i] as AmpBias;
    const saturatedPixels = simulateAmp(
      amp,
      bias,
      image,
      expected,
      spec.biasStructure,
      geometry.width,
      random,
      gaussianAbove,
    );
    return {
      name: amp.name,
      ...bias,
      gain: amp.gain,
      readNoise: amp.readNoise,
      saturation: amp.saturation,
      saturatedPixels,
    };
  });
  return {
    raw: { geometry, images },
    truth: {
      seed: spec.seed,
      instrument: geometry.instrument,
      detector: geometry.detector.name,
      width: geometry.width,
      height: geometry.height,
      darkTimeSeconds: spec.darkTimeSeconds ?? 0,
      gaussianAbove,
      amps,
      defects: spec.defects ?? [],
    },
  };
}

/** λ per detector pixel: flat × electrons + dark × t, with hot and dead defects applied. */
function expectedElectrons(spec: SyntheticRawSpec): Float32Array {
  const { electrons, flat, darkCurrent, geometry } = spec;
  const darkTime = spec.darkTimeSeconds ?? 0;
  const out = new Float32Array(electrons.length);
  for (let i = 0; i < out.length; i++) {
    const response = flat ? (flat[i] as number) : 1;
    const dark = darkCurrent ? (darkCurrent[i] as number) * darkTime : 0;
    out[i] = (electrons[i] as number) * response + dark;
  }
  for (const defect of spec.defects ?? []) {
    const { x0, y0, width, height } = defect.box;
    for (let y = y0; y < y0 + height; y++) {
      for (let x = x0; x < x0 + width; x++) {
        const i = y * geometry.width + x;
        out[i] = defect.kind === 'dead' ? 0 : (out[i] as number) + (defect.electrons ?? 0);
      }
    }
  }
  return out;
}

function simulateAmp(
  amp: AmpGeometry,
  bias: AmpBias,
  image: WritableRawImage,
  expected: Float32Array,
  biasStructure: Float32Array | undefined,
  detectorWidth: number,
  random: RandomSource,
  gaussianAbove: number,
): number {
  const { layout, bbox, gain, readNoise, saturation } = amp;
  const { data } = layout;
  const ceiling = Math.min(saturation, image.pixels instanceof Uint16Array ? 65_535 : 2 ** 31 - 1);
  const noiseAdu = readNoise / gain;
  const rippleAt = (c: number) => bias.columnRipple * Math.sin((2 * Math.PI * c) / RIPPLE_PERIOD);
  let saturated = 0;
  for (let r = 0; r < layout.height; r++) {
    const rowBias = bias.level + bias.rowSlope * r;
    const inDataRows = r >= data.y0 && r < data.y0 + data.height;
    const inParallelOverscan =
      r >= layout.parallelOverscan.y0 && r < layout.parallelOverscan.y0 + layout.parallelOverscan.height;
    const dy = amp.flipY ? data.y0 + data.height - 1 - r : r - data.y0;
    let out = (amp.rawY0 + r) * image.width + amp.rawX0;
    for (let c = 0; c < layout.width; c++, out++) {
      const dataColumn = c - data.x0;
      const inDataColumns = dataColumn >= 0 && dataColumn < data.width;
      let adu: number;
      if (inDataRows && inDataColumns) {
        const dx = amp.flipX ? data.width - 1 - dataColumn : dataColumn;
        const p = (bbox.y0 + dy) * detectorWidth + bbox.x0 + dx;
        let e = random.poisson(expected[p] as number, gaussianAbove) + readNoise * random.normal();
        if (biasStructure) e += biasStructure[p] as number;
        adu = e / gain + rowBias + rippleAt(dataColumn);
      } else {
        const ripple = inParallelOverscan && inDataColumns ? rippleAt(dataColumn) : 0;
        adu = rowBias + ripple + noiseAdu * random.normal();
      }
      let value = Math.round(adu);
      if (value >= ceiling) {
        value = ceiling;
        saturated++;
      } else if (value < 0) value = 0;
      image.pixels[out] = value;
    }
  }
  return saturated;
}
