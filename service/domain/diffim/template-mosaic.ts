// A detector's template from every coadd patch (of one or several tracts) that overlaps it: each patch
// is warped onto the science pixel grid through its own WCS, then the warps are merged pixel by
// pixel, as upstream's GetTemplateTask does — where patches overlap, a mean weighted by 1/σ of the
// image and of the variance, masks ORed; where no patch reaches, NO_DATA. One patch is its warp.
// With several, each patch is warped only over the science pixels its footprint can reach (its
// corners mapped through both WCSs, padded by the Lanczos kernel), not over the
// whole detector: a LATISS detector under a dozen patches is warped about once instead of twelve times.

import { MaskBit } from '../image/mask-bits';
import type { MaskedImage } from '../image/masked-image';
import { boxCorners } from '../sky/skymap';
import { skyToPixel, type TanWcs } from '../wcs/tan-wcs';
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
  // One warp at a time is accumulated, so memory holds the sums and a single (partial) warp.
  for (const patch of patches) {
    const box = reachOf(patch, targetWcs, width, height, options.lanczosOrder);
    if (!box) continue;
    // The same TAN projection with its reference pixel moved: pixel (x, y) of the box is pixel
    // (x + x0, y + y0) of the detector.
    const boxWcs = { ...targetWcs, crpix1: targetWcs.crpix1 - box.x0, crpix2: targetWcs.crpix2 - box.y0 };
    const warped = warpExposure(patch.image, patch.wcs, boxWcs, box.width, box.height, options);
    accumulate(warped, box, width, image, variance, mask, weights);
  }
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

interface PixelBox {
  readonly x0: number;
  readonly y0: number;
  readonly width: number;
  readonly height: number;
}

/** The science pixels a patch can contribute to, or undefined when it misses the detector. */
function reachOf(
  patch: TemplatePatch,
  targetWcs: TanWcs,
  width: number,
  height: number,
  lanczosOrder: number,
): PixelBox | undefined {
  let minX = Number.POSITIVE_INFINITY;
  let minY = Number.POSITIVE_INFINITY;
  let maxX = Number.NEGATIVE_INFINITY;
  let maxY = Number.NEGATIVE_INFINITY;
  for (const corner of boxCorners(patch.wcs, patch.image.width, patch.image.height)) {
    const { x, y } = skyToPixel(targetWcs, corner.ra, corner.dec);
    minX = Math.min(minX, x);
    minY = Math.min(minY, y);
    maxX = Math.max(maxX, x);
    maxY = Math.max(maxY, y);
  }
  const pad = lanczosOrder + 2;
  const x0 = Math.max(0, Math.floor(minX) - pad);
  const y0 = Math.max(0, Math.floor(minY) - pad);
  const x1 = Math.min(width, Math.ceil(maxX) + pad + 1);
  const y1 = Math.min(height, Math.ceil(maxY) + pad + 1);
  if (!(x1 > x0 && y1 > y0)) return undefined;
  return { x0, y0, width: x1 - x0, height: y1 - y0 };
}

/** Adds one warp's covered pixels, weighted by 1/σ, to the sums at the warp's place on the detector. */
function accumulate(
  warped: WarpedImage,
  box: PixelBox,
  width: number,
  image: Float32Array,
  variance: Float32Array,
  mask: Uint16Array,
  weights: Float32Array,
): void {
  for (let by = 0; by < box.height; by++) {
    const from = by * box.width;
    const to = (box.y0 + by) * width + box.x0;
    for (let bx = 0; bx < box.width; bx++) {
      const j = from + bx;
      const i = to + bx;
      const v = warped.variance[j] as number;
      const value = warped.image[j] as number;
      const bits = warped.mask[j] as number;
      if ((bits & MaskBit.NO_DATA) !== 0 || !(v > 0) || !Number.isFinite(value)) continue;
      const w = 1 / Math.sqrt(v);
      image[i] = (image[i] as number) + w * value;
      variance[i] = (variance[i] as number) + w * v;
      weights[i] = (weights[i] as number) + w;
      mask[i] = (mask[i] as number) | bits;
    }
  }
}
