// A detector's template from every coadd patch (of one or several tracts) that overlaps it: each patch
// is warped onto the science pixel grid through its own WCS, then the warps are merged pixel by
// pixel, as upstream's GetTemplateTask does — where patches overlap, a mean weighted by 1/σ of the
// image and of the variance, masks ORed; where no patch reaches, NO_DATA. One patch is its warp.

import { MaskBit } from '../image/mask-bits';
import type { MaskedImage } from '../image/masked-image';
import type { TanWcs } from '../wcs/tan-wcs';
import { DEFAULT_WARP_OPTIONS, type WarpedImage, type WarpOptions, warpExposure } from './warp-exposure';

export interface TemplatePatch {
  readonly image: MaskedImage;
  readonly wcs: TanWcs;
}

export function templateMosaic(
  patches: readonly TemplatePatch[],
  targetWcs: TanWcs,
  width: number,
  height: number,
  options: WarpOptions = DEFAULT_WARP_OPTIONS,
): WarpedImage {
  if (patches.length === 0) throw new RangeError('a template needs at least one coadd patch');
  const warp = (patch: TemplatePatch) =>
    warpExposure(patch.image, patch.wcs, targetWcs, width, height, options);
  if (patches.length === 1) return warp(patches[0] as TemplatePatch);
  const n = width * height;
  const image = new Float32Array(n);
  const variance = new Float32Array(n);
  const mask = new Uint16Array(n);
  const weights = new Float32Array(n);
  // One warp at a time is accumulated, so memory holds the sums and a single warp.
  for (const patch of patches) accumulate(warp(patch), image, variance, mask, weights);
  let covered = 0;
  for (let i = 0; i < n; i++) {
    const w = weights[i] as number;
    if (w > 0) {
      image[i] = (image[i] as number) / w;
      variance[i] = (variance[i] as number) / w;
      covered++;
    } else {
      mask[i] = (mask[i] as number) | MaskBit.NO_DATA;
    }
  }
  return { width, height, image, variance, mask, coverage: covered / n };
}

/** Adds one warp's covered pixels, weighted by 1/σ, to the sums. */
function accumulate(
  warped: WarpedImage,
  image: Float32Array,
  variance: Float32Array,
  mask: Uint16Array,
  weights: Float32Array,
): void {
  for (let i = 0; i < image.length; i++) {
    const v = warped.variance[i] as number;
    const value = warped.image[i] as number;
    if (((warped.mask[i] as number) & MaskBit.NO_DATA) !== 0 || !(v > 0) || !Number.isFinite(value)) continue;
    const w = 1 / Math.sqrt(v);
    image[i] = (image[i] as number) + w * value;
    variance[i] = (variance[i] as number) + w * v;
    weights[i] = (weights[i] as number) + w;
    mask[i] = (mask[i] as number) | (warped.mask[i] as number);
  }
}
