// Association of one (visit, detector)'s DiaSources with the current DiaObjects of its region
// (ap_association's rule): candidate pairs within the radius (1″), matched one-to-one nearest first;
// a matched source joins its object, an unmatched one creates a new object. Every object touched gets
// a new version: running mean position, nDiaSources + 1, first/last source times, per-band PSF-flux
// means from its earlier sources plus this one. Pure: tables in, APDB records out.

import type { CurrentDiaObject, DiaObjectRecord, DiaSourceRecord } from '../apdb/apdb-records';
import type { Band } from '../apdb/apdb-tables';
import type { DiaSourceTable } from '../diffim/dia-source-table';
import { SourceFlag } from '../measurement/source-catalog';
import { separationDeg } from '../sky/sky-circle';

/** An earlier DiaSource of a DiaObject, as far as the object's summary needs it. */
export interface DiaSourceHistory {
  readonly diaObjectId: bigint | null;
  readonly band: string | null;
  readonly psfFlux: number | null;
  readonly psfFluxErr: number | null;
}

export interface AssociationInput {
  readonly band: Band;
  readonly midpointMjdTai: number;
  readonly diaSources: DiaSourceTable;
  /** Ids for the sources, by row. */
  readonly diaSourceIds: readonly bigint[];
  readonly objects: readonly CurrentDiaObject[];
  readonly history: readonly DiaSourceHistory[];
  readonly radiusArcsec: number;
}

export interface Association {
  readonly diaSources: DiaSourceRecord[];
  /** New versions of every object a source joined or created. */
  readonly diaObjects: DiaObjectRecord[];
  readonly matched: number;
  readonly created: number;
}

export function associateDiaSources(input: AssociationInput): Association {
  const { diaSources: table, objects } = input;
  const objectOf = matchOneToOne(table, objects, input.radiusArcsec / 3600);
  const records: DiaSourceRecord[] = [];
  const versions: DiaObjectRecord[] = [];
  let matched = 0;
  for (let i = 0; i < table.count; i++) {
    const id = input.diaSourceIds[i] as bigint;
    const o = objectOf[i] as number;
    const existing = o >= 0 ? (objects[o] as CurrentDiaObject) : undefined;
    const diaObjectId = existing?.diaObjectId ?? id;
    const record = sourceRecord(table, i, id, diaObjectId, input);
    records.push(record);
    const earlier = existing ? input.history.filter((h) => h.diaObjectId === diaObjectId) : [];
    versions.push(objectVersion(existing, record, earlier, input));
    if (existing) matched++;
  }
  return { diaSources: records, diaObjects: versions, matched, created: table.count - matched };
}

/** For each source row, the index of its object or −1: candidate pairs sorted by separation, greedy. */
function matchOneToOne(
  table: DiaSourceTable,
  objects: readonly CurrentDiaObject[],
  radiusDeg: number,
): Int32Array {
  const byDec = objects
    .map((_, k) => k)
    .sort((a, b) => (objects[a] as CurrentDiaObject).dec - (objects[b] as CurrentDiaObject).dec);
  const decs = byDec.map((k) => (objects[k] as CurrentDiaObject).dec);
  const pairs: Array<{ source: number; object: number; separation: number }> = [];
  for (let i = 0; i < table.count; i++) {
    const ra = table.ra[i] as number;
    const dec = table.dec[i] as number;
    for (
      let j = lowerBound(decs, dec - radiusDeg);
      j < decs.length && (decs[j] as number) <= dec + radiusDeg;
      j++
    ) {
      const k = byDec[j] as number;
      const o = objects[k] as CurrentDiaObject;
      const separation = separationDeg(ra, dec, o.ra, o.dec);
      if (separation <= radiusDeg) pairs.push({ source: i, object: k, separation });
    }
  }
  pairs.sort((a, b) => a.separation - b.separation);
  const objectOf = new Int32Array(table.count).fill(-1);
  const taken = new Uint8Array(objects.length);
  for (const p of pairs) {
    if (objectOf[p.source] !== -1 || taken[p.object] === 1) continue;
    objectOf[p.source] = p.object;
    taken[p.object] = 1;
  }
  return objectOf;
}

function lowerBound(sorted: readonly number[], value: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((sorted[mid] as number) < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

const finiteOrNull = (v: number): number | null => (Number.isFinite(v) ? v : null);

function sourceRecord(
  table: DiaSourceTable,
  i: number,
  id: bigint,
  diaObjectId: bigint,
  input: AssociationInput,
): DiaSourceRecord {
  const flags = table.flags[i] as number;
  return {
    diaSourceId: id,
    diaObjectId,
    midpointMjdTai: input.midpointMjdTai,
    ra: table.ra[i] as number,
    dec: table.dec[i] as number,
    raErr: null,
    decErr: null,
    x: table.x[i] as number,
    y: table.y[i] as number,
    xErr: finiteOrNull(table.xErr[i] as number),
    yErr: finiteOrNull(table.yErr[i] as number),
    apFlux: finiteOrNull(table.apFlux[i] as number),
    apFluxErr: finiteOrNull(table.apFluxErr[i] as number),
    psfFlux: finiteOrNull(table.psfFlux[i] as number),
    psfFluxErr: finiteOrNull(table.psfFluxErr[i] as number),
    scienceFlux: finiteOrNull(table.scienceFlux[i] as number),
    scienceFluxErr: finiteOrNull(table.scienceFluxErr[i] as number),
    templateFlux: finiteOrNull(table.templateFlux[i] as number),
    templateFluxErr: finiteOrNull(table.templateFluxErr[i] as number),
    snr: finiteOrNull(table.snr[i] as number),
    band: input.band,
    isDipole: table.isDipole[i] === 1,
    isNegative: table.isNegative[i] === 1,
    bboxSize: table.bboxSize[i] as number,
    pixelFlags_bad: (flags & SourceFlag.BAD) !== 0,
    pixelFlags_edge: (flags & SourceFlag.EDGE) !== 0,
    pixelFlags_saturated: (flags & (SourceFlag.SATURATED | SourceFlag.SATURATED_CENTER)) !== 0,
    pixelFlags_cr: (flags & SourceFlag.INTERPOLATED) !== 0,
    pixelFlags_suspect: (flags & SourceFlag.SUSPECT) !== 0,
  };
}

function objectVersion(
  existing: CurrentDiaObject | undefined,
  source: DiaSourceRecord,
  earlier: readonly DiaSourceHistory[],
  input: AssociationInput,
): DiaObjectRecord {
  const n = existing?.nDiaSources ?? 0;
  // Running mean of the source positions; RA through the shortest way round the 0/360 seam.
  const ra0 = existing?.ra ?? source.ra;
  const dRa = ((((source.ra - ra0 + 540) % 360) + 360) % 360) - 180;
  const ra = (((ra0 + dRa / (n + 1)) % 360) + 360) % 360;
  const dec = existing ? (existing.dec * n + source.dec) / (n + 1) : source.dec;
  return {
    diaObjectId: source.diaObjectId as bigint,
    ra,
    dec,
    nDiaSources: n + 1,
    firstDiaSourceMjdTai: existing?.firstDiaSourceMjdTai ?? input.midpointMjdTai,
    lastDiaSourceMjdTai: input.midpointMjdTai,
    psfFlux: bandMeans([
      ...earlier,
      {
        diaObjectId: source.diaObjectId ?? null,
        band: input.band,
        psfFlux: source.psfFlux ?? null,
        psfFluxErr: source.psfFluxErr ?? null,
      },
    ]),
  };
}

/** Inverse-variance weighted mean PSF flux per band, its error and the number of sources used. */
function bandMeans(sources: readonly DiaSourceHistory[]): DiaObjectRecord['psfFlux'] {
  const sums = new Map<Band, { w: number; wf: number; n: number }>();
  for (const s of sources) {
    if (s.band === null || s.psfFlux === null || !(s.psfFluxErr !== null && s.psfFluxErr > 0)) continue;
    const band = s.band as Band;
    const entry = sums.get(band) ?? { w: 0, wf: 0, n: 0 };
    const w = 1 / (s.psfFluxErr * s.psfFluxErr);
    entry.w += w;
    entry.wf += w * s.psfFlux;
    entry.n++;
    sums.set(band, entry);
  }
  const out: NonNullable<DiaObjectRecord['psfFlux']> = {};
  for (const [band, { w, wf, n }] of sums) out[band] = { mean: wf / w, meanErr: 1 / Math.sqrt(w), ndata: n };
  return out;
}
