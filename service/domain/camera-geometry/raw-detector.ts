// A raw detector readout in memory: the raw images (one per amp HDU, or HSC's single image) with
// their geometry, and how to get one from a read FITS file — checked against the camera geometry so
// a raw of the wrong camera or shape fails with a reason, not with garbage pixels.

import { type FitsFile, type ImageHdu, physicalPixels } from '../fits';
import type { DetectorGeometry } from './detector-geometry';

/** Integer or float pixels as the codec returns them (int32 for LSST amps, uint16 for HSC). */
export type RawPixels = Int32Array | Uint16Array | Int16Array | Uint32Array | Float32Array | Float64Array;

export interface RawImage {
  readonly width: number;
  readonly height: number;
  readonly pixels: RawPixels;
}

export interface RawDetector {
  readonly geometry: DetectorGeometry;
  /** In geometry order: `geometry.amps[i].image` indexes this list. */
  readonly images: readonly RawImage[];
}

export class RawFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RawFormatError';
  }
}

/**
 * The raw images of a FITS file: for LSST cameras HDUs 1..16 must be the amps in the geometry's
 * order (EXTNAME checked) with the geometry's size; for HSC the primary HDU must be the whole raw.
 */
export function rawDetectorFromFits(file: FitsFile, geometry: DetectorGeometry): RawDetector {
  const firstImageHdu = geometry.rawFormat === 'lsst-mef' ? 1 : 0;
  const images = geometry.rawImages.map((expected, index) => {
    const hduIndex = firstImageHdu + index;
    const hdu = file.hdus[hduIndex];
    if (hdu === undefined || hdu.kind !== 'image') {
      throw new RawFormatError(
        `HDU ${hduIndex} should be an image for ${describe(geometry)}, but the file has ${file.hdus.length} HDUs` +
          (hdu ? ` and HDU ${hduIndex} is a ${hdu.type}` : ''),
      );
    }
    const amp = geometry.amps.find((a) => a.image === index);
    const extname = hdu.header.get('EXTNAME');
    if (geometry.rawFormat === 'lsst-mef' && amp?.extname !== undefined && extname !== amp.extname) {
      throw new RawFormatError(
        `HDU ${hduIndex} is EXTNAME ${JSON.stringify(extname)} but ${describe(geometry)} expects ${amp.extname} there: amps out of order?`,
      );
    }
    return rawImage(hdu, hduIndex, expected, geometry);
  });
  return { geometry, images };
}

function rawImage(
  hdu: ImageHdu,
  hduIndex: number,
  expected: { width: number; height: number },
  geometry: DetectorGeometry,
): RawImage {
  const [width, height] = hdu.axes;
  if (hdu.axes.length !== 2 || width !== expected.width || height !== expected.height) {
    throw new RawFormatError(
      `HDU ${hduIndex} is ${hdu.axes.join('×') || 'empty'} but ${describe(geometry)} needs ${expected.width}×${expected.height}`,
    );
  }
  const pixels = physicalPixels(hdu);
  if (
    pixels instanceof BigInt64Array ||
    pixels instanceof BigUint64Array ||
    pixels instanceof Int8Array ||
    pixels instanceof Uint8Array
  ) {
    throw new RawFormatError(`HDU ${hduIndex} has BITPIX ${hdu.bitpix}: raws are 16- or 32-bit integers`);
  }
  return { width, height, pixels };
}

function describe(geometry: DetectorGeometry): string {
  return `${geometry.instrument} detector ${geometry.detector.name} (${geometry.vendor})`;
}
