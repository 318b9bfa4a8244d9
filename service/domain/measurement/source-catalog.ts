// The single-frame source catalog: one column per measured quantity (struct of typed arrays), 0-based
// pixel coordinates with pixel centres on integers, fluxes in the image's units (electrons).

export const SourceFlag = {
  /** The measurement stamp or aperture leaves the image, or the centre lies in the filter's border. */
  EDGE: 1,
  /** Some footprint pixel is saturated. */
  SATURATED: 2,
  /** A pixel within one pixel of the centroid is saturated. */
  SATURATED_CENTER: 4,
  /** Some footprint pixel is BAD or NO_DATA. */
  BAD: 8,
  /** Some footprint pixel was interpolated or hit by a cosmic ray. */
  INTERPOLATED: 16,
  /** The footprint holds more than one kept peak (deblended child). */
  BLENDED: 32,
  /** The windowed centroid did not converge; x/y are the peak pixel. */
  CENTROID_FAILED: 64,
  /** Some footprint pixel is SUSPECT. */
  SUSPECT: 128,
} as const;

export interface SourceCatalog {
  readonly count: number;
  readonly x: Float64Array;
  readonly y: Float64Array;
  readonly xErr: Float32Array;
  readonly yErr: Float32Array;
  readonly psfFlux: Float64Array;
  readonly psfFluxErr: Float32Array;
  readonly apFlux: Float64Array;
  readonly apFluxErr: Float32Array;
  /** psfFlux / psfFluxErr. */
  readonly snr: Float32Array;
  /** Matched-filter significance of the peak, σ. */
  readonly significance: Float32Array;
  /** Index of the footprint (parent) the source was found in. */
  readonly parent: Int32Array;
  /** Peaks kept in the parent footprint: > 1 means the source was deblended. */
  readonly peakCount: Int32Array;
  readonly footprintPixels: Int32Array;
  /** OR of SourceFlag bits. */
  readonly flags: Uint32Array;
  /** Sky coordinates in degrees, once an astrometric solution has been applied. */
  readonly ra?: Float64Array;
  readonly dec?: Float64Array;
}

export function emptySourceCatalog(count: number): SourceCatalog {
  return {
    count,
    x: new Float64Array(count),
    y: new Float64Array(count),
    xErr: new Float32Array(count),
    yErr: new Float32Array(count),
    psfFlux: new Float64Array(count),
    psfFluxErr: new Float32Array(count),
    apFlux: new Float64Array(count),
    apFluxErr: new Float32Array(count),
    snr: new Float32Array(count),
    significance: new Float32Array(count),
    parent: new Int32Array(count),
    peakCount: new Int32Array(count),
    footprintPixels: new Int32Array(count),
    flags: new Uint32Array(count),
  };
}

type Column = Exclude<keyof SourceCatalog, 'count' | 'ra' | 'dec'>;

const COLUMNS: readonly Column[] = [
  'x',
  'y',
  'xErr',
  'yErr',
  'psfFlux',
  'psfFluxErr',
  'apFlux',
  'apFluxErr',
  'snr',
  'significance',
  'parent',
  'peakCount',
  'footprintPixels',
  'flags',
];

/** Rows of `first` then rows of `second` (sky columns are dropped: they are added after astrometry). */
export function concatSourceCatalogs(first: SourceCatalog, second: SourceCatalog): SourceCatalog {
  const out = emptySourceCatalog(first.count + second.count);
  for (const column of COLUMNS) {
    out[column].set(first[column], 0);
    out[column].set(second[column], first.count);
  }
  return out;
}
