// HSC raws as the Subaru archive has them: one primary HDU, int16 with BZERO 32768 (the codec's
// unsigned convention for a Uint16Array), 2144×4241, with the keys astro_metadata_translator reads
// (EXP-ID, FRAMEID, DET-ID, DATA-TYP, FILTER01, MJD, DATE-OBS/UT-STR, RA2000/DEC2000, INST-PA, T_GAINn).

import { assertDefined } from '../../service/domain/camera-geometry/assert-defined';
import type { RawDetector } from '../../service/domain/camera-geometry/raw-detector';
import { type Card, type Hdu, imageHdu } from '../../service/domain/fits';
import { type ExposureDescription, endMjd, isoFromMjd } from './exposure-description';
import { syntheticWcsCards } from './synthetic-wcs';

export interface HscExposure extends ExposureDescription {
  /** The exposure number (EXP-ID HSCE%08d). */
  readonly exposureId: number;
}

/** Upstream's key for non-LSST raws: `{inst}/{det}/{group}/{snap}/{expid}/{filter}/{inst}-{group}-{snap}-{expid}-{filter}-{det}.fits`. */
export function hscRawKey(detectorId: number, exposure: HscExposure): string {
  const snap = (exposure.snapIndex ?? 1) - 1;
  const parts = [exposure.groupId, snap, exposure.exposureId, exposure.filter];
  return `HSC/${detectorId}/${parts.join('/')}/HSC-${parts.join('-')}-${detectorId}.fits`;
}

export function hscPrimaryCards(raw: RawDetector, exposure: HscExposure): Card[] {
  const { geometry } = raw;
  const begin = isoFromMjd(exposure.beginMjdTai);
  const end = isoFromMjd(endMjd(exposure));
  const detectorId = geometry.detector.id;
  return [
    { keyword: 'INSTRUME', value: 'Hyper Suprime-Cam' },
    { keyword: 'TELESCOP', value: 'Subaru' },
    { keyword: 'EXP-ID', value: `HSCE${String(exposure.exposureId).padStart(8, '0')}` },
    // Synthetic frame ids: the exposure number and the detector, in HSC's HSCA + 8 digits form.
    {
      keyword: 'FRAMEID',
      value: `HSCA${String(exposure.exposureId * 100 + (detectorId % 100))
        .padStart(8, '0')
        .slice(-8)}`,
    },
    { keyword: 'DET-ID', value: detectorId },
    { keyword: 'DATA-TYP', value: exposure.imageType },
    { keyword: 'OBJECT', value: exposure.groupId },
    { keyword: 'FILTER01', value: exposure.filter },
    { keyword: 'EXPTIME', value: exposure.exposureTimeSeconds, real: true },
    { keyword: 'TIMESYS', value: 'UTC' },
    { keyword: 'MJD', value: exposure.beginMjdTai, real: true },
    { keyword: 'DATE-OBS', value: begin.slice(0, 10) },
    { keyword: 'UT-STR', value: begin.slice(11) },
    { keyword: 'UT-END', value: end.slice(11) },
    { keyword: 'RA2000', value: sexagesimal(exposure.raDeg / 15, false) },
    { keyword: 'DEC2000', value: sexagesimal(exposure.decDeg, true) },
    // The translator's rotation is 270° − INST-PA.
    { keyword: 'INST-PA', value: (((270 - exposure.rotPaDeg) % 360) + 360) % 360, real: true },
    ...geometry.amps.map((amp, i) => ({ keyword: `T_GAIN${i + 1}`, value: amp.gain, real: true })),
    ...syntheticWcsCards(geometry, exposure),
  ];
}

export function hscRawHdus(raw: RawDetector, exposure: HscExposure): Hdu[] {
  if (raw.geometry.rawFormat !== 'hsc-single-hdu')
    throw new Error(`${raw.geometry.instrument} raws are not HSC raws`);
  const image = assertDefined(raw.images[0], 'the HSC raw image');
  if (!(image.pixels instanceof Uint16Array))
    throw new Error('HSC raw pixels must be a Uint16Array (stored int16, BZERO 32768)');
  return [imageHdu(image.pixels, [image.width, image.height], { cards: hscPrimaryCards(raw, exposure) })];
}

/** `hh:mm:ss.sss` (hours) or `±dd:mm:ss.ss` (degrees). */
export function sexagesimal(value: number, signed: boolean): string {
  const sign = value < 0 ? '-' : '+';
  const decimals = signed ? 2 : 3;
  let rest = Math.round(Math.abs(value) * 3600 * 10 ** decimals) / 10 ** decimals;
  const whole = Math.floor(rest / 3600);
  rest -= whole * 3600;
  const minutes = Math.floor(rest / 60);
  const seconds = (rest - minutes * 60).toFixed(decimals).padStart(3 + decimals, '0');
  const text = `${String(whole).padStart(2, '0')}:${String(minutes).padStart(2, '0')}:${seconds}`;
  return signed ? `${sign}${text}` : text;
}
