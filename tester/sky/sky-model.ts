// The synthetic sky the testers observe: a fixed star catalog around each curated field (the same
// stars go into raws, templates and the reference catalog, so they agree), and transients injected
// into one group's raws only (what difference imaging should find). Pure and seeded.

import { seededUniform } from '../../service/domain/synthetic/random';
import { deproject } from '../../service/domain/wcs/tan-wcs';

export interface SkyStar {
  readonly ra: number;
  readonly dec: number;
  /** Electrons in a 30 s exposure. */
  readonly flux: number;
}

export interface FieldSpec {
  readonly raDeg: number;
  readonly decDeg: number;
  /** Radius the catalog covers, degrees. */
  readonly radiusDeg: number;
  /** Stars per square degree. */
  readonly density: number;
  readonly seed: number;
}

/** Stars uniform on the tangent plane of the field, power-law fluxes (dN/dm ∝ 10^{0.3 m}). */
export function fieldStars(field: FieldSpec): SkyStar[] {
  const uniform = seededUniform(field.seed);
  const area = Math.PI * field.radiusDeg ** 2;
  const count = Math.round(area * field.density);
  const mBright = -2.5 * Math.log10(2_000_000);
  const mFaint = -2.5 * Math.log10(2_000);
  const cBright = 10 ** (0.3 * mBright);
  const cFaint = 10 ** (0.3 * mFaint);
  const stars: SkyStar[] = [];
  for (let k = 0; k < count; k++) {
    const m = Math.log10(cBright + uniform() * (cFaint - cBright)) / 0.3;
    const r = field.radiusDeg * Math.sqrt(uniform());
    const theta = 2 * Math.PI * uniform();
    const { ra, dec } = deproject(field.raDeg, field.decDeg, r * Math.cos(theta), r * Math.sin(theta));
    stars.push({ ra, dec, flux: 10 ** (-0.4 * m) });
  }
  return stars;
}

export interface Transient extends SkyStar {
  /** Detector pixel position where it was injected (0-based). */
  readonly x: number;
  readonly y: number;
}

/** Transients for one detector of one group: bright enough to be found at 5σ in a difference image. */
export function drawTransients(
  count: number,
  seed: number,
  width: number,
  height: number,
  toSky: (x: number, y: number) => { ra: number; dec: number },
): Transient[] {
  const uniform = seededUniform(seed);
  const margin = Math.min(30, Math.floor(Math.min(width, height) / 4));
  const transients: Transient[] = [];
  for (let k = 0; k < count; k++) {
    const x = margin + uniform() * (width - 2 * margin);
    const y = margin + uniform() * (height - 2 * margin);
    const flux = 20_000 + 80_000 * uniform();
    transients.push({ ...toSky(x, y), flux, x, y });
  }
  return transients;
}
