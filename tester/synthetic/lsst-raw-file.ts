// LSST-camera raws as the camera writes them: a header-only primary HDU with the observation keys,
// then one int32 IMAGE HDU per amp (EXTNAME SegmentNN, HDU order C10..C17, C07..C00), optionally
// RICE-compressed (.fz); plus the sidecar JSON and the object key the raw bucket uses.

import { assertDefined } from '../../service/domain/camera-geometry/assert-defined';
import { section } from '../../service/domain/camera-geometry/box';
import type { AmpGeometry, DetectorGeometry } from '../../service/domain/camera-geometry/detector-geometry';
import type { RawDetector } from '../../service/domain/camera-geometry/raw-detector';
import { type Card, type Hdu, imageHdu } from '../../service/domain/fits';
import { instrumentByName } from '../../service/domain/instruments';
import { type ExposureDescription, endMjd, isoFromMjd } from './exposure-description';
import { syntheticWcsCards } from './synthetic-wcs';

export interface LsstRawOptions {
  /** RICE_1 tile compression of every amp (a .fz file). */
  readonly compress?: boolean;
  /** Cards appended to the primary header (e.g. a WCS). */
  readonly primaryCards?: readonly Card[];
  /** Cards appended to each amp's header. */
  readonly ampCards?: (amp: AmpGeometry) => readonly Card[];
}

/** OBSID: `{AT|CC|MC}_O_{dayobs}_{seq:06d}` (controller O: the observatory's scheduler). */
export function lsstObservationId(geometry: DetectorGeometry, exposure: ExposureDescription): string {
  const code = instrumentByName(geometry.instrument).shortCode;
  if (code === undefined) throw new Error(`${geometry.instrument} is not an LSST camera`);
  return `${code}_O_${exposure.dayObs}_${String(exposure.seqNum).padStart(6, '0')}`;
}

/** The raw bucket key: `{instrument}/{dayobs}/{obsid}/{obsid}_{R##_S##}.fits` (or `.fz`). */
export function lsstRawKey(
  geometry: DetectorGeometry,
  exposure: ExposureDescription,
  compress: boolean,
): string {
  const obsid = lsstObservationId(geometry, exposure);
  return `${geometry.instrument}/${exposure.dayObs}/${obsid}/${obsid}_${geometry.detector.name}.${compress ? 'fz' : 'fits'}`;
}

export function lsstPrimaryCards(geometry: DetectorGeometry, exposure: ExposureDescription): Card[] {
  const [raft, sensor] = geometry.detector.name.split('_');
  const begin = exposure.beginMjdTai;
  return [
    { keyword: 'INSTRUME', value: geometry.instrument },
    {
      keyword: 'TELESCOP',
      value: geometry.instrument === 'LATISS' ? 'LSST AuxTelescope' : 'Simonyi Survey Telescope',
    },
    { keyword: 'OBSID', value: lsstObservationId(geometry, exposure) },
    { keyword: 'DAYOBS', value: exposure.dayObs },
    { keyword: 'SEQNUM', value: exposure.seqNum },
    { keyword: 'CONTRLLR', value: 'O' },
    { keyword: 'GROUPID', value: exposure.groupId },
    { keyword: 'CURINDEX', value: exposure.snapIndex ?? 1 },
    { keyword: 'MAXINDEX', value: exposure.snapCount ?? 1 },
    { keyword: 'IMGTYPE', value: exposure.imageType },
    { keyword: 'FILTER', value: exposure.filter },
    { keyword: 'EXPTIME', value: exposure.exposureTimeSeconds, real: true, comment: 'seconds' },
    { keyword: 'DARKTIME', value: exposure.darkTimeSeconds ?? exposure.exposureTimeSeconds, real: true },
    { keyword: 'TIMESYS', value: 'TAI' },
    { keyword: 'DATE-BEG', value: isoFromMjd(begin), comment: 'start of integration (TAI)' },
    { keyword: 'MJD-BEG', value: begin, real: true },
    { keyword: 'DATE-END', value: isoFromMjd(endMjd(exposure)) },
    { keyword: 'MJD-END', value: endMjd(exposure), real: true },
    { keyword: 'RA', value: exposure.raDeg, real: true, comment: 'degrees' },
    { keyword: 'DEC', value: exposure.decDeg, real: true, comment: 'degrees' },
    { keyword: 'ROTPA', value: exposure.rotPaDeg, real: true, comment: 'degrees' },
    { keyword: 'RADESYS', value: 'ICRS' },
    { keyword: 'RAFTBAY', value: assertDefined(raft, 'raft') },
    { keyword: 'CCDSLOT', value: assertDefined(sensor, 'sensor') },
    { keyword: 'CCD_MANU', value: geometry.vendor },
    { keyword: 'DETSIZE', value: section({ x0: 0, y0: 0, width: geometry.width, height: geometry.height }) },
    ...syntheticWcsCards(geometry, exposure),
  ];
}

/** The HDUs of an LSST-camera raw (primary + 16 amps); DATASEC/DETSEC are written from the geometry. */
export function lsstRawHdus(
  raw: RawDetector,
  exposure: ExposureDescription,
  options: LsstRawOptions = {},
): Hdu[] {
  const { geometry } = raw;
  if (geometry.rawFormat !== 'lsst-mef')
    throw new Error(`${geometry.instrument} raws are not LSST multi-extension files`);
  const primary = imageHdu(new Uint8Array(0), [], {
    cards: [...lsstPrimaryCards(geometry, exposure), ...(options.primaryCards ?? [])],
  });
  const amps = geometry.amps.map((amp) => {
    const image = assertDefined(raw.images[amp.image], `raw image ${amp.image}`);
    const cards: Card[] = [
      { keyword: 'DATASEC', value: section(amp.layout.data) },
      { keyword: 'DETSEC', value: section(amp.bbox, amp.flipX, amp.flipY) },
      ...(options.ampCards?.(amp) ?? []),
    ];
    return imageHdu(image.pixels, [image.width, image.height], {
      extname: amp.extname,
      cards,
      ...(options.compress ? { compression: { type: 'RICE_1' as const } } : {}),
    });
  });
  return [primary, ...amps];
}

/** The sidecar JSON upstream reads next to a raw: the primary header as a dict. */
export function sidecarOf(cards: readonly Card[]): Record<string, string | number | boolean | null> {
  const sidecar: Record<string, string | number | boolean | null> = {};
  for (const card of cards) {
    const { value } = card;
    if (value === undefined || card.keyword === '' || card.keyword in sidecar) continue;
    if (typeof value === 'bigint') sidecar[card.keyword] = Number(value);
    else if (typeof value === 'object' && value !== null)
      sidecar[card.keyword] = `(${value.re}, ${value.im})`;
    else sidecar[card.keyword] = value;
  }
  return sidecar;
}
