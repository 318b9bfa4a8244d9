// DiaSources as difference-image detection produces them: one typed-array column per quantity, pixel
// positions 0-based, fluxes in science electrons; sky positions once an astrometric solution is applied.

import { pixelToSky, type TanWcs } from '../wcs/tan-wcs';

export interface DiaSourceTable {
  readonly kind: 'diaSources';
  readonly count: number;
  readonly x: Float64Array;
  readonly y: Float64Array;
  readonly xErr: Float32Array;
  readonly yErr: Float32Array;
  /** PSF flux on the difference (negative for negative sources). */
  readonly psfFlux: Float64Array;
  readonly psfFluxErr: Float32Array;
  readonly apFlux: Float64Array;
  readonly apFluxErr: Float32Array;
  /** |psfFlux| / psfFluxErr. */
  readonly snr: Float32Array;
  readonly scienceFlux: Float64Array;
  readonly scienceFluxErr: Float32Array;
  readonly templateFlux: Float64Array;
  readonly templateFluxErr: Float32Array;
  readonly isNegative: Uint8Array;
  readonly isDipole: Uint8Array;
  /** Side of the footprint's bounding square, pixels. */
  readonly bboxSize: Int32Array;
  /** SourceFlag bits from detection. */
  readonly flags: Uint32Array;
  /** Degrees; NaN until sky positions are added. */
  readonly ra: Float64Array;
  readonly dec: Float64Array;
}

export function emptyDiaSourceTable(count: number): DiaSourceTable {
  const f64 = () => new Float64Array(count);
  const f32 = () => new Float32Array(count);
  return {
    kind: 'diaSources',
    count,
    x: f64(),
    y: f64(),
    xErr: f32(),
    yErr: f32(),
    psfFlux: f64(),
    psfFluxErr: f32(),
    apFlux: f64(),
    apFluxErr: f32(),
    snr: f32(),
    scienceFlux: f64(),
    scienceFluxErr: f32(),
    templateFlux: f64(),
    templateFluxErr: f32(),
    isNegative: new Uint8Array(count),
    isDipole: new Uint8Array(count),
    bboxSize: new Int32Array(count),
    flags: new Uint32Array(count),
    ra: f64().fill(Number.NaN),
    dec: f64().fill(Number.NaN),
  };
}

/** Fills ra/dec from the pixel positions through `wcs` (in place) and returns the table. */
export function addSkyPositions(table: DiaSourceTable, wcs: TanWcs): DiaSourceTable {
  for (let i = 0; i < table.count; i++) {
    const sky = pixelToSky(wcs, table.x[i] as number, table.y[i] as number);
    table.ra[i] = sky.ra;
    table.dec[i] = sky.dec;
  }
  return table;
}

export function isDiaSourceTable(value: unknown): value is DiaSourceTable {
  return typeof value === 'object' && value !== null && 'kind' in value && value.kind === 'diaSources';
}
