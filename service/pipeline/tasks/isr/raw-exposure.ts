// From a read raw FITS file to ISR's input (storage class `Raw`): the raw detector (checked against the
// catalog geometry), the primary header, and the exposure facts ISR and later tasks need, taken from
// that header in each camera's words (LSST: FILTER, EXPTIME, DARKTIME, DAYOBS + SEQNUM, GROUPID; HSC:
// FILTER01, EXPTIME, EXP-ID).

import type { DetectorGeometry } from '../../../domain/camera-geometry/detector-geometry';
import {
  type RawDetector,
  RawFormatError,
  rawDetectorFromFits,
} from '../../../domain/camera-geometry/raw-detector';
import type { FitsFile, Header } from '../../../domain/fits';
import type { ExposureInfo } from '../../../domain/image/exposure';

export interface RawExposure {
  readonly raw: RawDetector;
  /** The primary header: it becomes the post-ISR exposure's metadata (WCS, filter, times). */
  readonly metadata: Header;
  readonly info: ExposureInfo;
}

export function rawExposureFromFits(file: FitsFile, geometry: DetectorGeometry): RawExposure {
  const raw = rawDetectorFromFits(file, geometry);
  const primary = file.hdus[0];
  if (primary === undefined) throw new RawFormatError('the raw has no primary HDU');
  const header = primary.header;
  const exposureTime = header.number('EXPTIME');
  const darkTime = header.number('DARKTIME') ?? exposureTime ?? 0;
  const info: ExposureInfo = {
    instrument: geometry.instrument,
    detector: geometry.detector.id,
    detectorName: geometry.detector.name,
    ...optional('filter', trimmed(header, geometry.rawFormat === 'hsc-single-hdu' ? 'FILTER01' : 'FILTER')),
    ...optional('exposureTimeSeconds', exposureTime),
    darkTimeSeconds: darkTime,
    ...optional('exposureId', exposureId(header, geometry)),
    ...optional('groupId', trimmed(header, 'GROUPID')),
  };
  return { raw, metadata: header, info };
}

function trimmed(header: Header, keyword: string): string | undefined {
  const value = header.get(keyword);
  return typeof value === 'string' ? value.trim() : undefined;
}

function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}

/** LSST cameras: DAYOBS·10^5 + SEQNUM; HSC: the number in EXP-ID (HSCE%08d). */
function exposureId(header: Header, geometry: DetectorGeometry): number | undefined {
  if (geometry.rawFormat === 'hsc-single-hdu') {
    const match = /^HSCE(\d+)$/.exec(trimmed(header, 'EXP-ID') ?? '');
    return match ? Number(match[1]) : undefined;
  }
  const dayObs = header.get('DAYOBS');
  const seqNum = header.get('SEQNUM');
  if (dayObs === undefined || typeof seqNum !== 'number') return undefined;
  return Number(`${String(dayObs).trim()}${String(seqNum).padStart(5, '0')}`);
}
