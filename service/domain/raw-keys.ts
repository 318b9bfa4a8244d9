// Where raws land in the raw bucket, and how a key is read back: the two layouts upstream uses
// (LSST cameras: day_obs/obs_id folders plus a JSON sidecar carrying the group; other cameras such as
// HSC: detector/group/snap/exposure/filter folders), the obs_id and exposure-id rules, and sidecars.
import { detectorByName, type Instrument, type InstrumentName, instrumentByName } from './instruments';

/** Controller letter of an LSST obs_id: O(CS), C(CS), P(ipeline test), S(imulation). */
export type Controller = 'O' | 'C' | 'P' | 'S';

export interface LsstRawKey {
  readonly style: 'lsst';
  readonly instrument: InstrumentName;
  readonly dayObs: number;
  readonly obsId: string;
  readonly controller: Controller;
  readonly seqNum: number;
  /** `R22_S11`; corner sensors have `SG0`/`SW1` style names. */
  readonly raftSensor: string;
  /** `.fits`, `.fz`, `.fits.gz`, … */
  readonly extension: string;
}

export interface OtherRawKey {
  readonly style: 'other';
  readonly instrument: InstrumentName;
  readonly detector: number;
  readonly group: string;
  readonly snap: number;
  readonly exposureId: string;
  readonly filter: string;
}

export type RawKey = LsstRawKey | OtherRawKey;

/** Upstream's LSST_REGEXP, with named groups. */
export const LSST_RAW_KEY =
  /^(?<instrument>.*?)\/(?<dayObs>\d+)\/(?<obsId>.*?)\/\k<obsId>_(?<raftSensor>R\d\d_S.\d)(?<extension>\.f.*)$/;
/** Upstream's OTHER_REGEXP, with named groups. */
export const OTHER_RAW_KEY =
  /^(?<instrument>.*?)\/(?<detector>\d+)\/(?<group>.*?)\/(?<snap>\d+)\/(?<exposureId>.*?)\/(?<filter>.*?)\/[^/]+\.f/;

const OBS_ID = /^(?<code>[A-Z]{2})_(?<controller>[OCPS])_(?<dayObs>\d{8})_(?<seq>\d{6})$/;

/** Folder names in keys that differ from the instrument's name. */
const KEY_INSTRUMENT_ALIASES: Readonly<Record<string, InstrumentName>> = { ComCam: 'LSSTComCam' };

export class RawKeyError extends Error {
  override readonly name = 'RawKeyError';
}

function instrumentOfKey(folder: string): Instrument | undefined {
  const name = KEY_INSTRUMENT_ALIASES[folder] ?? folder;
  try {
    return instrumentByName(name);
  } catch {
    return undefined;
  }
}

function pad(value: number, width: number): string {
  return String(value).padStart(width, '0');
}

/** `AT_O_20220321_000002`: the obs_id an LSST camera gives an exposure. */
export function lsstObsId(
  instrument: Instrument,
  controller: Controller,
  dayObs: number,
  seqNum: number,
): string {
  if (!instrument.shortCode) throw new RawKeyError(`${instrument.name} has no LSST obs_id code`);
  if (!Number.isInteger(seqNum) || seqNum < 0 || seqNum > 999_999) {
    throw new RawKeyError(`sequence number ${seqNum} is outside 0–999999`);
  }
  return `${instrument.shortCode}_${controller}_${dayObs}_${pad(seqNum, 6)}`;
}

/** LSST exposure ids: day_obs followed by the 5-digit sequence number (`20220321` + `00002`). */
export function lsstExposureId(dayObs: number, seqNum: number): number {
  if (seqNum >= 100_000) throw new RawKeyError(`sequence number ${seqNum} does not fit an exposure id`);
  return dayObs * 100_000 + seqNum;
}

export function lsstRawKeyOf(
  parts: Omit<LsstRawKey, 'style' | 'obsId' | 'extension'> & { readonly extension?: string },
): string {
  const instrument = instrumentByName(parts.instrument);
  const obsId = lsstObsId(instrument, parts.controller, parts.dayObs, parts.seqNum);
  return `${instrument.name}/${parts.dayObs}/${obsId}/${obsId}_${parts.raftSensor}${parts.extension ?? '.fits'}`;
}

export function otherRawKeyOf(parts: Omit<OtherRawKey, 'style'>): string {
  const { instrument, detector, group, snap, exposureId, filter } = parts;
  for (const [name, value] of Object.entries({ group, exposureId, filter })) {
    if (value.includes('/') || value.includes('-')) {
      throw new RawKeyError(`${name} "${value}" may not contain "/" or "-": they delimit the key`);
    }
  }
  const file = `${instrument}-${group}-${snap}-${exposureId}-${filter}-${detector}.fz`;
  return `${instrument}/${detector}/${group}/${snap}/${exposureId}/${filter}/${file}`;
}

/**
 * Reads a raw's key. Returns undefined for keys that are not raws of ours (sidecars, other
 * instruments' or foreign objects), so a notification consumer can skip them quietly.
 */
export function parseRawKey(key: string): RawKey | undefined {
  if (key.endsWith('.json')) return undefined;
  const lsst = LSST_RAW_KEY.exec(key)?.groups;
  if (lsst) {
    const instrument = instrumentOfKey(lsst.instrument ?? '');
    const obsId = OBS_ID.exec(lsst.obsId ?? '')?.groups;
    if (instrument?.rawKeyStyle !== 'lsst' || !obsId) return undefined;
    return {
      style: 'lsst',
      instrument: instrument.name,
      dayObs: Number(lsst.dayObs),
      obsId: lsst.obsId ?? '',
      controller: obsId.controller as Controller,
      seqNum: Number(obsId.seq),
      raftSensor: lsst.raftSensor ?? '',
      extension: lsst.extension ?? '',
    };
  }
  const other = OTHER_RAW_KEY.exec(key)?.groups;
  if (other) {
    const instrument = instrumentOfKey(other.instrument ?? '');
    if (instrument?.rawKeyStyle !== 'other') return undefined;
    return {
      style: 'other',
      instrument: instrument.name,
      detector: Number(other.detector),
      group: other.group ?? '',
      snap: Number(other.snap),
      exposureId: other.exposureId ?? '',
      filter: other.filter ?? '',
    };
  }
  return undefined;
}

/** The detector id a raw key names, or undefined when the sensor is not in the catalog. */
export function detectorOfRawKey(key: RawKey): number | undefined {
  if (key.style === 'other') return key.detector;
  return detectorByName(instrumentByName(key.instrument), key.raftSensor)?.id;
}

/** The sidecar JSON of an LSST raw: the same key without the image extension, plus `.json`. */
export function sidecarKeyOf(rawKey: string): string {
  const match = /\.f[^/]*$/.exec(rawKey);
  if (!match) throw new RawKeyError(`"${rawKey}" has no FITS extension (.fits, .fz, .fits.gz)`);
  return `${rawKey.slice(0, match.index)}.json`;
}
