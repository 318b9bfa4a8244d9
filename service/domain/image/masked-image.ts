/** Pixels, variance and mask of one image, row-major (x fastest), all `width * height` long. */
export interface MaskedImage {
  readonly width: number;
  readonly height: number;
  readonly image: Float32Array;
  readonly variance: Float32Array;
  readonly mask: Uint16Array;
}
