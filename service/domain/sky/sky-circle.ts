// Points and circles on the celestial sphere as unit vectors, the form the HTM index and region
// reads work in. Pure: plain numbers in, plain numbers out.

export interface UnitVector {
  readonly x: number;
  readonly y: number;
  readonly z: number;
}

/** A cap on the sky: every point within `radiusDeg` of (raDeg, decDeg). */
export interface SkyCircle {
  readonly raDeg: number;
  readonly decDeg: number;
  readonly radiusDeg: number;
}

const DEG = Math.PI / 180;

export function unitVector(raDeg: number, decDeg: number): UnitVector {
  const ra = raDeg * DEG;
  const dec = decDeg * DEG;
  const cosDec = Math.cos(dec);
  return { x: cosDec * Math.cos(ra), y: cosDec * Math.sin(ra), z: Math.sin(dec) };
}

export function normalize(x: number, y: number, z: number): UnitVector {
  const norm = Math.sqrt(x * x + y * y + z * z);
  return { x: x / norm, y: y / norm, z: z / norm };
}

/** Angle between two unit vectors in radians; atan2 keeps small angles accurate (acos does not). */
export function angleBetween(a: UnitVector, b: UnitVector): number {
  const cx = a.y * b.z - a.z * b.y;
  const cy = a.z * b.x - a.x * b.z;
  const cz = a.x * b.y - a.y * b.x;
  return Math.atan2(Math.sqrt(cx * cx + cy * cy + cz * cz), a.x * b.x + a.y * b.y + a.z * b.z);
}

/** Angular separation in degrees between two (ra, dec) positions given in degrees. */
export function separationDeg(raA: number, decA: number, raB: number, decB: number): number {
  return angleBetween(unitVector(raA, decA), unitVector(raB, decB)) / DEG;
}

export class SkyRegionError extends Error {
  override readonly name = 'SkyRegionError';
}

/** Throws SkyRegionError unless the circle has finite coordinates, |dec| ≤ 90 and 0 ≤ radius ≤ 180. */
export function checkSkyCircle(circle: SkyCircle): SkyCircle {
  const { raDeg, decDeg, radiusDeg } = circle;
  if (![raDeg, decDeg, radiusDeg].every(Number.isFinite))
    throw new SkyRegionError(`sky circle ${JSON.stringify(circle)} has a non-finite coordinate`);
  if (Math.abs(decDeg) > 90) throw new SkyRegionError(`dec ${decDeg} is outside [-90, 90]`);
  if (radiusDeg < 0 || radiusDeg > 180) throw new SkyRegionError(`radius ${radiusDeg}° is outside [0, 180]`);
  return circle;
}
