// Background estimation and subtraction: mesh statistics, interpolated to every pixel. Pure: the
// estimate is a new array; subtraction updates the masked image the caller hands over.

import type { MaskedImage } from '../../../domain/image/masked-image';
import { type BackgroundConfig, DEFAULT_BACKGROUND_CONFIG } from './background-config';
import { type BackgroundMesh, measureBackgroundMesh } from './background-mesh';
import { interpolateMesh } from './spline-interpolation';

export interface Background {
  readonly mesh: BackgroundMesh;
  /** The background at every pixel (width × height). */
  readonly image: Float32Array;
}

export function estimateBackground(
  image: MaskedImage,
  config: BackgroundConfig = DEFAULT_BACKGROUND_CONFIG,
): Background {
  const mesh = measureBackgroundMesh(image, config);
  return { mesh, image: interpolateMesh(mesh, image.width, image.height, config.interpolation) };
}

/** Subtracts the background from the image plane in place. */
export function subtractBackground(image: MaskedImage, background: Background): void {
  const pixels = image.image;
  const level = background.image;
  for (let i = 0; i < pixels.length; i++) pixels[i] = (pixels[i] as number) - (level[i] as number);
}
