// The APDB tables this project creates: the key columns of sdm_schemas' ApdbSchema 10.0.0
// (`apdb.yaml`, Felis types), its primary keys and indexes, plus the columns dax_apdb adds — the
// `pixelId` sky index (HTM level 20) on DiaObject, DiaObjectLast and DiaSource. A unit test checks
// every column here against the reference YAML, so names, types and nullability cannot drift.

export type FelisType = 'long' | 'int' | 'short' | 'double' | 'float' | 'boolean' | 'char' | 'text';

export interface ApdbColumn {
  readonly name: string;
  readonly type: FelisType;
  readonly nullable: boolean;
  /** char(n) length. */
  readonly length?: number;
  /** Added by this project or dax_apdb, not in the reference schema. */
  readonly local?: boolean;
}

export interface ApdbIndex {
  readonly name: string;
  readonly columns: readonly string[];
}

export interface ApdbTable {
  readonly name: ApdbTableName;
  readonly columns: readonly ApdbColumn[];
  readonly primaryKey: readonly string[];
  readonly indexes: readonly ApdbIndex[];
}

export type ApdbTableName =
  | 'metadata'
  | 'DiaObject'
  | 'DiaObjectLast'
  | 'DiaSource'
  | 'DiaForcedSource'
  | 'SSObject'
  | 'SSSource'
  | 'ApdbVisitDetector';

/** ApdbSchema version these tables follow; stored in metadata as `version:schema`. */
export const APDB_SCHEMA_VERSION = '10.0.0';

const col = (name: string, type: FelisType, nullable = true, length?: number): ApdbColumn => ({
  name,
  type,
  nullable,
  ...(length === undefined ? {} : { length }),
});
const req = (name: string, type: FelisType): ApdbColumn => col(name, type, false);
const pixelId: ApdbColumn = { name: 'pixelId', type: 'long', nullable: false, local: true };

export const BANDS = ['u', 'g', 'r', 'i', 'z', 'y'] as const;
export type Band = (typeof BANDS)[number];

const positionColumns = [
  req('ra', 'double'),
  col('raErr', 'float'),
  req('dec', 'double'),
  col('decErr', 'float'),
  col('ra_dec_Cov', 'float'),
];

const diaObject: ApdbTable = {
  name: 'DiaObject',
  columns: [
    req('diaObjectId', 'long'),
    req('validityStartMjdTai', 'double'),
    col('validityEndMjdTai', 'double'),
    ...positionColumns,
    ...BANDS.flatMap((b) => [
      col(`${b}_psfFluxMean`, 'float'),
      col(`${b}_psfFluxMeanErr`, 'float'),
      req(`${b}_psfFluxNdata`, 'int'),
    ]),
    col('firstDiaSourceMjdTai', 'double'),
    col('lastDiaSourceMjdTai', 'double'),
    req('nDiaSources', 'int'),
    pixelId,
  ],
  primaryKey: ['diaObjectId', 'validityStartMjdTai'],
  indexes: [
    { name: 'IDX_DiaObject_validityStart', columns: ['validityStartMjdTai'] },
    { name: 'IDX_DiaObject_pixelId', columns: ['pixelId'] },
  ],
};

const diaObjectLast: ApdbTable = {
  name: 'DiaObjectLast',
  columns: [
    req('diaObjectId', 'long'),
    req('validityStartMjdTai', 'double'),
    col('lastDiaSourceMjdTai', 'double'),
    ...positionColumns,
    col('firstDiaSourceMjdTai', 'double'),
    req('nDiaSources', 'int'),
    pixelId,
  ],
  primaryKey: ['diaObjectId'],
  indexes: [{ name: 'IDX_DiaObjectLast_pixelId', columns: ['pixelId'] }],
};

const diaSource: ApdbTable = {
  name: 'DiaSource',
  columns: [
    req('diaSourceId', 'long'),
    req('visit', 'long'),
    req('detector', 'short'),
    col('diaObjectId', 'long'),
    col('ssObjectId', 'long'),
    col('parentDiaSourceId', 'long'),
    req('midpointMjdTai', 'double'),
    ...positionColumns,
    req('x', 'float'),
    col('xErr', 'float'),
    req('y', 'float'),
    col('yErr', 'float'),
    col('apFlux', 'float'),
    col('apFluxErr', 'float'),
    col('snr', 'float'),
    col('psfFlux', 'float'),
    col('psfFluxErr', 'float'),
    req('psfNdata', 'int'),
    req('trailNdata', 'int'),
    req('dipoleNdata', 'int'),
    col('scienceFlux', 'float'),
    col('scienceFluxErr', 'float'),
    col('templateFlux', 'float'),
    col('templateFluxErr', 'float'),
    col('extendedness', 'float'),
    col('reliability', 'float'),
    col('band', 'char', true, 1),
    col('isDipole', 'boolean'),
    col('isNegative', 'boolean'),
    req('timeProcessedMjdTai', 'double'),
    col('timeWithdrawnMjdTai', 'double'),
    req('bboxSize', 'int'),
    col('pixelFlags_bad', 'boolean'),
    col('pixelFlags_cr', 'boolean'),
    col('pixelFlags_edge', 'boolean'),
    col('pixelFlags_saturated', 'boolean'),
    col('pixelFlags_suspect', 'boolean'),
    col('pixelFlags_streak', 'boolean'),
    pixelId,
  ],
  primaryKey: ['diaSourceId'],
  indexes: [
    { name: 'IDX_DiaSource_visitDetector', columns: ['visit', 'detector'] },
    { name: 'IDX_DiaSource_diaObjectId', columns: ['diaObjectId'] },
    { name: 'IDX_DiaSource_ssObjectId', columns: ['ssObjectId'] },
    { name: 'IDX_DiaSource_pixelId', columns: ['pixelId'] },
  ],
};

const diaForcedSource: ApdbTable = {
  name: 'DiaForcedSource',
  columns: [
    req('diaForcedSourceId', 'long'),
    req('diaObjectId', 'long'),
    req('ra', 'double'),
    req('dec', 'double'),
    req('visit', 'long'),
    req('detector', 'short'),
    col('psfFlux', 'float'),
    col('psfFluxErr', 'float'),
    req('midpointMjdTai', 'double'),
    col('scienceFlux', 'float'),
    col('scienceFluxErr', 'float'),
    col('band', 'char', true, 1),
    req('timeProcessedMjdTai', 'double'),
    col('timeWithdrawnMjdTai', 'double'),
  ],
  primaryKey: ['diaObjectId', 'visit', 'detector'],
  indexes: [{ name: 'IDX_DiaForcedSource_visitDetector', columns: ['visit', 'detector'] }],
};

const ssObject: ApdbTable = {
  name: 'SSObject',
  columns: [
    req('ssObjectId', 'long'),
    col('designation', 'char', true, 16),
    req('nObs', 'int'),
    req('arc', 'float'),
    col('firstObservationMjdTai', 'double'),
    col('MOIDEarth', 'float'),
  ],
  primaryKey: ['ssObjectId'],
  indexes: [{ name: 'idx_SSObject_MOIDEarth', columns: ['MOIDEarth'] }],
};

const ssSource: ApdbTable = {
  name: 'SSSource',
  columns: [
    req('diaSourceId', 'long'),
    req('ssObjectId', 'long'),
    col('designation', 'char', true, 16),
    req('eclLambda', 'double'),
    req('eclBeta', 'double'),
    req('galLon', 'double'),
    req('galLat', 'double'),
    col('phaseAngle', 'float'),
    col('topoRange', 'float'),
    col('helioRange', 'float'),
  ],
  primaryKey: ['diaSourceId'],
  indexes: [
    { name: 'idx_SSSource_ssObjectId', columns: ['ssObjectId'] },
    { name: 'idx_SSSource_designation', columns: ['designation'] },
  ],
};

const metadata: ApdbTable = {
  name: 'metadata',
  columns: [req('name', 'text'), req('value', 'text')],
  primaryKey: ['name'],
  indexes: [],
};

/**
 * One row per (visit, detector) whose catalogs are stored: the store claims its row first, so a
 * rerun (or a concurrent duplicate) of the same visit-detector finds it and writes nothing.
 */
const visitDetector: ApdbTable = {
  name: 'ApdbVisitDetector',
  columns: [
    { ...req('visit', 'long'), local: true },
    { ...req('detector', 'short'), local: true },
    { ...req('storedMjdTai', 'double'), local: true },
  ],
  primaryKey: ['visit', 'detector'],
  indexes: [],
};

export const APDB_TABLES: readonly ApdbTable[] = [
  metadata,
  diaObject,
  diaObjectLast,
  diaSource,
  diaForcedSource,
  ssObject,
  ssSource,
  visitDetector,
];

export function apdbTable(name: ApdbTableName): ApdbTable {
  const table = APDB_TABLES.find((t) => t.name === name);
  if (!table) throw new RangeError(`no APDB table ${name}`);
  return table;
}

const SQL_TYPES: Readonly<Record<FelisType, string>> = {
  long: 'BIGINT',
  int: 'INTEGER',
  short: 'SMALLINT',
  double: 'DOUBLE PRECISION',
  float: 'REAL',
  boolean: 'BOOLEAN',
  char: 'VARCHAR',
  text: 'TEXT',
};

export function sqlType(column: ApdbColumn): string {
  const base = SQL_TYPES[column.type];
  return column.length === undefined ? base : `${base}(${column.length})`;
}
