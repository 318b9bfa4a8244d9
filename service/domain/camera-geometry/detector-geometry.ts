// How one detector's raw readout maps onto the assembled detector image: its amps, their raw layouts,
// flips and places, and their nominal electronics. Built from the instrument catalog (see
// camera-geometry.ts), so a raw is never interpreted from its own header's sections.

import type { Detector, InstrumentName } from '../instruments';
import type { RawAmpLayout } from './amp-layout';
import { type Box, box } from './box';

/** Sensor vendor: decides the amp layout (ITL and e2v for LSST cameras, HSC's Hamamatsu CCDs). */
export type SensorVendor = 'ITL' | 'E2V' | 'HSC';

/** How raws are stored: LSST cameras write one int32 IMAGE HDU per amp; HSC one int16 primary HDU. */
export type RawFormat = 'lsst-mef' | 'hsc-single-hdu';

export interface AmpElectronics {
  /** e-/ADU. */
  readonly gain: number;
  /** Read noise, e-. */
  readonly readNoise: number;
  /** Raw ADU at or above which a pixel is saturated. */
  readonly saturation: number;
  /** Raw ADU at or above which a pixel is suspect (non-linear before saturating), where the camera has one. */
  readonly suspect?: number;
}

export interface AmpGeometry extends AmpElectronics {
  /** Amp name: C10..C17, C07..C00 for LSST sensors; 1..4 for HSC. */
  readonly name: string;
  /** EXTNAME of the amp's HDU (Segment10 ...); undefined for single-HDU raws. */
  readonly extname?: string;
  /** Index of the raw image holding the amp (0-based, primary-less for MEF: HDU n is image n-1). */
  readonly image: number;
  /** Where the amp's raw readout starts in that image (0,0 for MEF; HSC amps sit side by side). */
  readonly rawX0: number;
  readonly rawY0: number;
  readonly layout: RawAmpLayout;
  /** Whether the raw data run backwards along x / y in the assembled detector. */
  readonly flipX: boolean;
  readonly flipY: boolean;
  /** The amp's imaging section in the assembled detector. */
  readonly bbox: Box;
}

export interface DetectorGeometry {
  readonly instrument: InstrumentName;
  readonly detector: Detector;
  readonly vendor: SensorVendor;
  readonly rawFormat: RawFormat;
  /** Size of the assembled (trimmed) detector image. */
  readonly width: number;
  readonly height: number;
  /** Sizes of the raw images, in image order (16 amps of 576×2048, or one 2144×4241). */
  readonly rawImages: readonly { readonly width: number; readonly height: number }[];
  /** In raw order (HDU order for MEF). */
  readonly amps: readonly AmpGeometry[];
  /** Nominal pixel scale, arcsec/px. */
  readonly pixelScaleArcsec: number;
}

/** Where an amp's first data pixel lands, given its place in the detector and its flips. */
export function ampBbox(ix: number, iy: number, width: number, height: number): Box {
  return box(ix * width, iy * height, width, height);
}

/** A copy with each amp's electronics replaced (e.g. per-amp gains drawn for a synthetic raw). */
export function withAmpElectronics(
  geometry: DetectorGeometry,
  electronics: (amp: AmpGeometry, index: number) => Partial<AmpElectronics>,
): DetectorGeometry {
  return { ...geometry, amps: geometry.amps.map((amp, i) => ({ ...amp, ...electronics(amp, i) })) };
}

export function ampByName(geometry: DetectorGeometry, name: string): AmpGeometry | undefined {
  return geometry.amps.find((amp) => amp.name === name);
}
