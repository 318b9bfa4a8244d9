// The gnomonic (TAN) world coordinate system of FITS Paper II: a linear map from pixels to the tangent
// plane at CRVAL, then the projection onto the sky. Pixel coordinates here are 0-based with pixel
// centres on integers (FITS pixel = ours + 1). SIP distortion terms are not modelled.

export interface TanWcs {
  /** Sky position of the reference pixel, degrees (RA, Dec). */
  readonly crval1: number;
  readonly crval2: number;
  /** Reference pixel in FITS (1-based) convention. */
  readonly crpix1: number;
  readonly crpix2: number;
  /** CD matrix, degrees per pixel: [[cd11, cd12], [cd21, cd22]]. */
  readonly cd11: number;
  readonly cd12: number;
  readonly cd21: number;
  readonly cd22: number;
}

/** What a WCS needs from a header; the FITS codec's Header satisfies it. */
export interface HeaderLookup {
  number(keyword: string): number | undefined;
  string(keyword: string): string | undefined;
}

/** The header does not describe a usable TAN WCS. */
export class WcsError extends Error {
  override readonly name = 'WcsError';
}

const DEG = Math.PI / 180;

/** TAN WCS from CTYPE/CRVAL/CRPIX and CD, or PC + CDELT (CD = CDELT·PC), as FITS Paper I/II define. */
export function tanWcsFromHeader(header: HeaderLookup): TanWcs {
  const ctype1 = header.string('CTYPE1') ?? '';
  const ctype2 = header.string('CTYPE2') ?? '';
  if (!/^RA---TAN/.test(ctype1) || !/^DEC--TAN/.test(ctype2)) {
    throw new WcsError(
      `CTYPE1/CTYPE2 are '${ctype1}'/'${ctype2}': only RA---TAN/DEC--TAN is supported; supply a TAN header`,
    );
  }
  const required = (keyword: string): number => {
    const value = header.number(keyword);
    if (value === undefined || !Number.isFinite(value)) {
      throw new WcsError(
        `the WCS header has no numeric ${keyword}: add it or use a header with a full TAN WCS`,
      );
    }
    return value;
  };
  const crval1 = required('CRVAL1');
  const crval2 = required('CRVAL2');
  const crpix1 = required('CRPIX1');
  const crpix2 = required('CRPIX2');
  let cd: [number, number, number, number];
  if (header.number('CD1_1') !== undefined || header.number('CD2_2') !== undefined) {
    cd = [
      header.number('CD1_1') ?? 0,
      header.number('CD1_2') ?? 0,
      header.number('CD2_1') ?? 0,
      header.number('CD2_2') ?? 0,
    ];
  } else {
    const cdelt1 = required('CDELT1');
    const cdelt2 = required('CDELT2');
    cd = [
      cdelt1 * (header.number('PC1_1') ?? 1),
      cdelt1 * (header.number('PC1_2') ?? 0),
      cdelt2 * (header.number('PC2_1') ?? 0),
      cdelt2 * (header.number('PC2_2') ?? 1),
    ];
  }
  return tanWcs(crval1, crval2, crpix1, crpix2, cd);
}

export function tanWcs(
  crval1: number,
  crval2: number,
  crpix1: number,
  crpix2: number,
  [cd11, cd12, cd21, cd22]: readonly [number, number, number, number],
): TanWcs {
  if (!(Math.abs(cd11 * cd22 - cd12 * cd21) > 0)) {
    throw new WcsError(
      `the CD matrix [[${cd11}, ${cd12}], [${cd21}, ${cd22}]] is singular: check CDi_j or PCi_j/CDELTi`,
    );
  }
  if (!(Math.abs(crval2) <= 90)) throw new WcsError(`CRVAL2 = ${crval2} is not a declination`);
  return { crval1, crval2, crpix1, crpix2, cd11, cd12, cd21, cd22 };
}

export interface SkyPosition {
  /** Degrees, [0, 360). */
  readonly ra: number;
  readonly dec: number;
}

export interface PixelPosition {
  readonly x: number;
  readonly y: number;
}

/** Tangent-plane coordinates (ξ, η) in degrees → sky, about (ra0, dec0). */
export function deproject(ra0: number, dec0: number, xi: number, eta: number): SkyPosition {
  const x = xi * DEG;
  const y = eta * DEG;
  const d0 = dec0 * DEG;
  const denominator = Math.cos(d0) - y * Math.sin(d0);
  const ra = ra0 + Math.atan2(x, denominator) / DEG;
  const dec = Math.atan2(Math.sin(d0) + y * Math.cos(d0), Math.hypot(x, denominator)) / DEG;
  return { ra: ((ra % 360) + 360) % 360, dec };
}

/** Sky → tangent-plane (ξ, η) in degrees about (ra0, dec0); NaN for the far hemisphere. */
export function project(ra0: number, dec0: number, ra: number, dec: number): { xi: number; eta: number } {
  const d0 = dec0 * DEG;
  const d = dec * DEG;
  const dra = (ra - ra0) * DEG;
  const cosC = Math.sin(d0) * Math.sin(d) + Math.cos(d0) * Math.cos(d) * Math.cos(dra);
  if (!(cosC > 0)) return { xi: Number.NaN, eta: Number.NaN };
  const xi = (Math.cos(d) * Math.sin(dra)) / cosC;
  const eta = (Math.cos(d0) * Math.sin(d) - Math.sin(d0) * Math.cos(d) * Math.cos(dra)) / cosC;
  return { xi: xi / DEG, eta: eta / DEG };
}

export function pixelToSky(wcs: TanWcs, x: number, y: number): SkyPosition {
  const u = x + 1 - wcs.crpix1;
  const v = y + 1 - wcs.crpix2;
  return deproject(wcs.crval1, wcs.crval2, wcs.cd11 * u + wcs.cd12 * v, wcs.cd21 * u + wcs.cd22 * v);
}

export function skyToPixel(wcs: TanWcs, ra: number, dec: number): PixelPosition {
  const { xi, eta } = project(wcs.crval1, wcs.crval2, ra, dec);
  const det = wcs.cd11 * wcs.cd22 - wcs.cd12 * wcs.cd21;
  const u = (wcs.cd22 * xi - wcs.cd12 * eta) / det;
  const v = (-wcs.cd21 * xi + wcs.cd11 * eta) / det;
  return { x: u + wcs.crpix1 - 1, y: v + wcs.crpix2 - 1 };
}

/** Angular separation in arcseconds (haversine: accurate at small angles). */
export function separationArcsec(a: SkyPosition, b: SkyPosition): number {
  const d1 = a.dec * DEG;
  const d2 = b.dec * DEG;
  const h =
    Math.sin((d2 - d1) / 2) ** 2 + Math.cos(d1) * Math.cos(d2) * Math.sin(((b.ra - a.ra) * DEG) / 2) ** 2;
  return ((2 * Math.asin(Math.min(1, Math.sqrt(h)))) / DEG) * 3600;
}
