// Deep template coadds for the sky the curated groups cover: which patches of the instrument's
// skymap the detectors' footprints touch, and each patch rendered from the same star catalog as the
// raws (no transients), background-subtracted, with the noise of a 20-visit stack. Pure.
import type { DetectorGeometry } from '../../service/domain/camera-geometry/detector-geometry';
import { exposureHdus, type Hdu } from '../../service/domain/fits';
import {
  type PatchGeometry,
  patchesCovering,
  type RingsSkymapDefinition,
} from '../../service/domain/sky/skymap';
import { seededRandom } from '../../service/domain/synthetic/random';
import { pixelToSky, type TanWcs } from '../../service/domain/wcs/tan-wcs';
import { wcsCards } from '../camera/detector-wcs';
import { renderStars, SKY_ELECTRONS } from '../pool/simulate-pool-raw';
import type { SkyStar } from '../sky/sky-model';

export const TEMPLATE_FWHM_ARCSEC = 0.7;
export const TEMPLATE_DEPTH_VISITS = 20;

/** Patches under a detector: its footprint sampled on a 9×9 grid, corners included. */
export function patchesUnderDetector(
  map: RingsSkymapDefinition,
  geometry: DetectorGeometry,
  wcs: TanWcs,
): { tract: number; patch: number }[] {
  const points = [];
  for (let i = 0; i <= 8; i++)
    for (let j = 0; j <= 8; j++)
      points.push(pixelToSky(wcs, (i / 8) * (geometry.width - 1), (j / 8) * (geometry.height - 1)));
  return patchesCovering(map, points);
}

export function templateHdus(
  map: RingsSkymapDefinition,
  patch: PatchGeometry,
  band: string,
  stars: readonly SkyStar[],
): Hdu[] {
  const fwhm = TEMPLATE_FWHM_ARCSEC / map.pixelScaleArcsec;
  const { electrons } = renderStars(stars, patch.wcs, patch.width, patch.height, fwhm, 0);
  const random = seededRandom(patch.tract * 100_003 + patch.id);
  const sigma = Math.sqrt(SKY_ELECTRONS / TEMPLATE_DEPTH_VISITS);
  for (let i = 0; i < electrons.length; i++)
    electrons[i] = (electrons[i] as number) + sigma * random.normal();
  // An Exposure file: the variance is the sky noise the stack was given.
  return exposureHdus({
    image: electrons,
    width: patch.width,
    height: patch.height,
    variance: sigma * sigma,
    cards: [
      ...wcsCards(patch.wcs),
      { keyword: 'SKYMAP', value: map.name },
      { keyword: 'TRACT', value: patch.tract },
      { keyword: 'PATCH', value: patch.id },
      { keyword: 'BAND', value: band },
      { keyword: 'BUNIT', value: 'electron' },
      { keyword: 'NVISITS', value: TEMPLATE_DEPTH_VISITS, comment: 'depth of the synthetic stack' },
      { keyword: 'PSF_FWHM', value: TEMPLATE_FWHM_ARCSEC, real: true, comment: 'arcsec' },
    ],
  });
}
