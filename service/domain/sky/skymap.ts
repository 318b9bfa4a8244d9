// Skymaps: how the sky is cut into tracts (each with its own TAN projection) and tracts into a grid
// of patches, the units templates are stored in. A rings skymap as upstream's RingsSkyMap lays it out:
// a cap tract at each pole and rings of equal declination width between them, each ring split into
// tracts of about the ring's width in RA. Pure geometry; the catalog of skymaps is at the bottom.

import { deproject, type SkyPosition, skyToPixel, type TanWcs, tanWcs } from '../wcs/tan-wcs';

export interface RingsSkymapDefinition {
  readonly name: string;
  /** Rings between the two polar caps. */
  readonly ringCount: number;
  readonly pixelScaleArcsec: number;
  /** Patch size without its border, pixels (square). */
  readonly patchInnerPixels: number;
  /** Border each patch overlaps its neighbours by, pixels. */
  readonly patchBorderPixels: number;
  /** Extra sky each tract covers beyond its inner region on every side, degrees. */
  readonly tractOverlapDeg: number;
}

export interface Tract {
  readonly id: number;
  readonly center: SkyPosition;
  /** The tract's projection; tract pixel (0, 0) is the lower-left corner of patch 0. */
  readonly wcs: TanWcs;
  readonly patchesX: number;
  readonly patchesY: number;
}

export interface PatchGeometry {
  readonly tract: number;
  /** Sequential index y·patchesX + x, as upstream numbers patches. */
  readonly id: number;
  readonly x: number;
  readonly y: number;
  /** Outer box (inner plus border) in tract pixels, clipped to nothing: it may extend past the tract. */
  readonly x0: number;
  readonly y0: number;
  readonly width: number;
  readonly height: number;
  /** The patch's own WCS: the tract's, with pixel (0, 0) at the outer box's corner. */
  readonly wcs: TanWcs;
}

export class SkymapError extends Error {
  override readonly name = 'SkymapError';
}

function ringWidthDeg(map: RingsSkymapDefinition): number {
  return 180 / (map.ringCount + 1);
}

/** Tracts in each ring: the ring's circumference at its equator-most edge over the ring width. */
function tractsInRing(map: RingsSkymapDefinition, ring: number): number {
  const width = ringWidthDeg(map);
  const dec = ringCenterDec(map, ring);
  const edge = Math.min(Math.abs(dec - width / 2), Math.abs(dec + width / 2));
  return Math.max(1, Math.ceil((360 * Math.cos((edge * Math.PI) / 180)) / width));
}

function ringCenterDec(map: RingsSkymapDefinition, ring: number): number {
  return -90 + (ring + 1) * ringWidthDeg(map);
}

/** Number of tracts: two caps plus every ring's. */
export function tractCount(map: RingsSkymapDefinition): number {
  let n = 2;
  for (let ring = 0; ring < map.ringCount; ring++) n += tractsInRing(map, ring);
  return n;
}

/** Tract id of the cap or ring tract whose inner region holds (ra, dec). */
export function tractIdAt(map: RingsSkymapDefinition, position: SkyPosition): number {
  if (!(Math.abs(position.dec) <= 90))
    throw new SkymapError(`declination ${position.dec} is not in [-90, 90]`);
  const width = ringWidthDeg(map);
  const ring = Math.floor((position.dec + 90 - width / 2) / width);
  if (ring < 0) return 0;
  if (ring >= map.ringCount) return tractCount(map) - 1;
  let id = 1;
  for (let r = 0; r < ring; r++) id += tractsInRing(map, r);
  const n = tractsInRing(map, ring);
  const ra = ((position.ra % 360) + 360) % 360;
  return id + (Math.round(ra / (360 / n)) % n);
}

/** The tract's centre, projection and patch grid. */
export function tractGeometry(map: RingsSkymapDefinition, id: number): Tract {
  const total = tractCount(map);
  if (!Number.isInteger(id) || id < 0 || id >= total)
    throw new SkymapError(`${map.name} has tracts 0–${total - 1}, not ${id}`);
  const width = ringWidthDeg(map);
  let center: SkyPosition;
  let innerWidthDeg: number;
  if (id === 0 || id === total - 1) {
    center = { ra: 0, dec: id === 0 ? -90 : 90 };
    innerWidthDeg = width; // the cap reaches half a ring width from the pole in every direction
  } else {
    let first = 1;
    let ring = 0;
    while (first + tractsInRing(map, ring) <= id) first += tractsInRing(map, ring++);
    const n = tractsInRing(map, ring);
    center = { ra: ((id - first) * 360) / n, dec: ringCenterDec(map, ring) };
    innerWidthDeg = Math.max(width, (360 / n) * Math.cos((center.dec * Math.PI) / 180));
  }
  const scaleDeg = map.pixelScaleArcsec / 3600;
  // Generous: the tangent plane stretches away from the centre, so add the overlap and 10 %.
  const sizePixels = ((innerWidthDeg * 1.1 + 2 * map.tractOverlapDeg) / scaleDeg) | 0;
  const patches = Math.max(1, Math.ceil(sizePixels / map.patchInnerPixels));
  const half = (patches * map.patchInnerPixels) / 2;
  const wcs = tanWcs(center.ra, center.dec, half + 0.5, half + 0.5, [-scaleDeg, 0, 0, scaleDeg]);
  return { id, center, wcs, patchesX: patches, patchesY: patches };
}

/** A patch of a tract by its sequential id. */
export function patchGeometry(map: RingsSkymapDefinition, tract: Tract, id: number): PatchGeometry {
  if (!Number.isInteger(id) || id < 0 || id >= tract.patchesX * tract.patchesY)
    throw new SkymapError(
      `tract ${tract.id} of ${map.name} has patches 0–${tract.patchesX * tract.patchesY - 1}, not ${id}`,
    );
  const x = id % tract.patchesX;
  const y = Math.floor(id / tract.patchesX);
  const border = map.patchBorderPixels;
  const x0 = x * map.patchInnerPixels - border;
  const y0 = y * map.patchInnerPixels - border;
  const size = map.patchInnerPixels + 2 * border;
  const wcs = { ...tract.wcs, crpix1: tract.wcs.crpix1 - x0, crpix2: tract.wcs.crpix2 - y0 };
  return { tract: tract.id, id, x, y, x0, y0, width: size, height: size, wcs };
}

/** The patch whose inner region holds the position, or undefined when it falls off the tract's grid. */
export function patchIdAt(
  map: RingsSkymapDefinition,
  tract: Tract,
  position: SkyPosition,
): number | undefined {
  const { x, y } = skyToPixel(tract.wcs, position.ra, position.dec);
  const px = Math.floor((x + 0.5) / map.patchInnerPixels);
  const py = Math.floor((y + 0.5) / map.patchInnerPixels);
  if (!(px >= 0 && py >= 0 && px < tract.patchesX && py < tract.patchesY)) return undefined;
  return py * tract.patchesX + px;
}

/** Patches (tract, patch) whose inner regions any of the sky points fall in, each once. */
export function patchesCovering(
  map: RingsSkymapDefinition,
  points: readonly SkyPosition[],
): { tract: number; patch: number }[] {
  const seen = new Map<string, { tract: number; patch: number }>();
  for (const point of points) {
    const tract = tractGeometry(map, tractIdAt(map, point));
    const patch = patchIdAt(map, tract, point);
    if (patch !== undefined) seen.set(`${tract.id}/${patch}`, { tract: tract.id, patch });
  }
  return [...seen.values()].sort((a, b) => a.tract - b.tract || a.patch - b.patch);
}

/** The corners of a pixel box on the sky (for registry regions), counter-clockwise from (x0, y0). */
export function boxCorners(wcs: TanWcs, width: number, height: number): SkyPosition[] {
  const corners: [number, number][] = [
    [-0.5, -0.5],
    [width - 0.5, -0.5],
    [width - 0.5, height - 0.5],
    [-0.5, height - 0.5],
  ];
  return corners.map(([x, y]) => {
    const u = x + 1 - wcs.crpix1;
    const v = y + 1 - wcs.crpix2;
    return deproject(wcs.crval1, wcs.crval2, wcs.cd11 * u + wcs.cd12 * v, wcs.cd21 * u + wcs.cd22 * v);
  });
}

/**
 * Our skymaps. Upstream's have 4000-pixel patches; ours are smaller (1000 + 50 border) so synthetic
 * templates for a few detectors stay tens of MB instead of GB. Ring counts match upstream's tract sizes
 * (about 1.5° for LSST, 1.7° for HSC).
 */
export const SKYMAPS: Readonly<Record<string, RingsSkymapDefinition>> = {
  lsst_cells_v1: {
    name: 'lsst_cells_v1',
    ringCount: 120,
    pixelScaleArcsec: 0.2,
    patchInnerPixels: 1000,
    patchBorderPixels: 50,
    tractOverlapDeg: 1 / 60,
  },
  latiss_v1: {
    name: 'latiss_v1',
    ringCount: 120,
    pixelScaleArcsec: 0.1,
    patchInnerPixels: 1000,
    patchBorderPixels: 50,
    tractOverlapDeg: 1 / 60,
  },
  hsc_rings_v1: {
    name: 'hsc_rings_v1',
    ringCount: 120,
    pixelScaleArcsec: 0.168,
    patchInnerPixels: 1000,
    patchBorderPixels: 50,
    tractOverlapDeg: 1 / 60,
  },
};

export function skymapByName(name: string): RingsSkymapDefinition {
  const map = SKYMAPS[name];
  if (!map) throw new SkymapError(`unknown skymap "${name}": use one of ${Object.keys(SKYMAPS).join(', ')}`);
  return map;
}
