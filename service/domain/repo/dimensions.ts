// The dimension universe this build uses: the data-id keys Prompt Processing needs (upstream's
// daf_butler universe, cut down) and how each is stored. Its version is the repo's
// `dimensions-config`; the registry migration that changes the tables bumps it, and a service whose
// universe differs from the central repo's refuses to start (see central-repo/compatibility.ts).

import { REFCAT_HTM_LEVEL } from '../sky/htm';

/** dimensions-config this build speaks; stored in the registry as `prompt:<version>`. */
export const DIMENSIONS_CONFIG = { namespace: 'prompt', version: 2 } as const;

export function dimensionsConfigLabel(config: { namespace: string; version: number } = DIMENSIONS_CONFIG) {
  return `${config.namespace}:${config.version}`;
}

export type KeyType = 'string' | 'int';
export type MetadataType = 'string' | 'int' | 'float' | 'timestamp' | 'region';

export interface DimensionElement {
  readonly name: string;
  readonly key: KeyType;
  /** Dimensions whose keys are part of this one's primary key (detector requires instrument). */
  readonly requires: readonly string[];
  /** Dimensions a record names but that are not part of its key (exposure → physical_filter). */
  readonly implies: readonly string[];
  readonly metadata: Readonly<Record<string, MetadataType>>;
  /** Table holding the records; absent for dimensions whose values need no record (htm7, band). */
  readonly table?: string;
  /** Inclusive bounds of integer keys, where the universe fixes them (htm7). */
  readonly keyRange?: readonly [number, number];
}

const timespan = { timespan_begin: 'timestamp', timespan_end: 'timestamp' } as const;

const ELEMENTS: readonly DimensionElement[] = [
  {
    name: 'instrument',
    key: 'string',
    requires: [],
    implies: [],
    metadata: { class_name: 'string', detector_max: 'int', visit_max: 'int' },
    table: 'dim_instrument',
  },
  { name: 'band', key: 'string', requires: [], implies: [], metadata: {} },
  {
    name: 'detector',
    key: 'int',
    requires: ['instrument'],
    implies: [],
    metadata: { full_name: 'string', purpose: 'string' },
    table: 'dim_detector',
  },
  {
    name: 'physical_filter',
    key: 'string',
    requires: ['instrument'],
    implies: ['band'],
    metadata: {},
    table: 'dim_physical_filter',
  },
  {
    name: 'day_obs',
    key: 'int',
    requires: ['instrument'],
    implies: [],
    metadata: timespan,
    table: 'dim_day_obs',
  },
  { name: 'group', key: 'string', requires: ['instrument'], implies: [], metadata: {}, table: 'dim_group' },
  {
    name: 'exposure',
    key: 'int',
    requires: ['instrument'],
    implies: ['physical_filter', 'day_obs', 'group'],
    metadata: { obs_id: 'string', exposure_time: 'float', ...timespan },
    table: 'dim_exposure',
  },
  {
    name: 'visit',
    key: 'int',
    requires: ['instrument'],
    implies: ['physical_filter', 'day_obs'],
    metadata: { ...timespan, region: 'region' },
    table: 'dim_visit',
  },
  {
    name: 'skymap',
    key: 'string',
    requires: [],
    implies: [],
    metadata: { hash: 'string', tract_max: 'int', patch_nx_max: 'int', patch_ny_max: 'int' },
    table: 'dim_skymap',
  },
  {
    name: 'tract',
    key: 'int',
    requires: ['skymap'],
    implies: [],
    metadata: { region: 'region' },
    table: 'dim_tract',
  },
  {
    name: 'patch',
    key: 'int',
    requires: ['skymap', 'tract'],
    implies: [],
    metadata: { region: 'region' },
    table: 'dim_patch',
  },
  {
    name: `htm${REFCAT_HTM_LEVEL}`,
    key: 'int',
    requires: [],
    implies: [],
    metadata: {},
    keyRange: [8 * 4 ** REFCAT_HTM_LEVEL, 16 * 4 ** REFCAT_HTM_LEVEL - 1],
  },
];

export const DIMENSIONS: ReadonlyMap<string, DimensionElement> = new Map(ELEMENTS.map((e) => [e.name, e]));

/** Dimensions in an order where every element comes after those it requires or implies. */
export const DIMENSION_ORDER: readonly string[] = ELEMENTS.map((e) => e.name);

export function dimension(name: string): DimensionElement | undefined {
  return DIMENSIONS.get(name);
}

/** Columns of an element's table: required keys, own key, implied keys, then metadata. */
export function recordColumns(element: DimensionElement): string[] {
  return [...element.requires, element.name, ...element.implies, ...Object.keys(element.metadata)];
}
