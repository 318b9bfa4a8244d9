// The pixel container every image task passes around: science pixels, their variance and a bit mask,
// row-major with x fastest. Pure data; ISR produces it, background, PSF and detection read it.

export interface MaskedImage {
  readonly width: number;
  readonly height: number;
  /** Pixel values (electrons once ISR has applied the gain), `width * height` of them. */
  readonly image: Float32Array;
  /** Per-pixel variance in the image's units squared. */
  readonly variance: Float32Array;
  /** OR of `MaskBit` flags per pixel. */
  readonly mask: Uint16Array;
}

/** A MaskedImage over existing planes; checks that their lengths agree with the shape. */
export function maskedImage(
  width: number,
  height: number,
  image: Float32Array,
  variance: Float32Array,
  mask: Uint16Array = new Uint16Array(width * height),
): MaskedImage {
  const n = width * height;
  if (!Number.isInteger(width) || !Number.isInteger(height) || width <= 0 || height <= 0) {
    throw new RangeError(`image shape ${width}×${height} must be positive integers`);
  }
  if (image.length !== n || variance.length !== n || mask.length !== n) {
    throw new RangeError(
      `a ${width}×${height} image needs planes of ${n} pixels; got image ${image.length}, ` +
        `variance ${variance.length}, mask ${mask.length}`,
    );
  }
  return { width, height, image, variance, mask };
}
