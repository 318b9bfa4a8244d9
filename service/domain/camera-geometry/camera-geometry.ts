// The camera geometry of every detector in the instrument catalog: which sensor vendor it has, how
// its amps are laid out in the raw and where they land in the assembled image. LSST-camera facts are
// from obs_lsst (policy/cameraHeader.yaml, policy/<camera>/R##.yaml); HSC's from obs_subaru.

import {
  type Detector,
  detectorById,
  detectorByName,
  type InstrumentName,
  instrumentByName,
} from '../instruments';
import {
  E2V_AMP_SIZE,
  e2vAmpLayout,
  HSC_AMP,
  hscAmpLayout,
  ITL_AMP_SIZE,
  itlAmpLayout,
  type LsstAmpSize,
  type RawAmpLayout,
} from './amp-layout';
import {
  type AmpElectronics,
  type AmpGeometry,
  ampBbox,
  type DetectorGeometry,
  type SensorVendor,
} from './detector-geometry';

/**
 * LSSTCam science rafts with ITL sensors (obs_lsst policy/lsstCam/R##.yaml `detectorType`); the
 * other 13 science rafts (R11–R14, R21–R24, R30–R34) carry e2v sensors.
 */
export const LSSTCAM_ITL_RAFTS: ReadonlySet<string> = new Set([
  'R01',
  'R02',
  'R03',
  'R10',
  'R20',
  'R41',
  'R42',
  'R43',
]);

/**
 * Nominal amp electronics per camera and vendor. Real per-amp gains and read noise come from
 * calibrations (PTC); these are typical values (obs_lsst R##.yaml, LATISS RXX.yaml ranges, HSC amp
 * table), good enough to convert ADU to electrons within a few per cent.
 */
const NOMINAL_ELECTRONICS: Readonly<Record<string, AmpElectronics>> = {
  'LATISS/ITL': { gain: 1.07, readNoise: 9.0, saturation: 142_857 },
  'LSSTComCam/ITL': { gain: 1.7, readNoise: 6.5, saturation: 142_857 },
  'LSSTCam/ITL': { gain: 1.7, readNoise: 6.5, saturation: 142_857 },
  'LSSTCam/E2V': { gain: 1.48, readNoise: 5.4, saturation: 142_857 },
  'HSC/HSC': { gain: 3.4, readNoise: 4.5, saturation: 55_000, suspect: 50_000 },
};

const PIXEL_SCALE_ARCSEC: Readonly<Record<InstrumentName, number>> = {
  LATISS: 0.0957,
  LSSTComCam: 0.2,
  LSSTCam: 0.2,
  HSC: 0.168,
};

/** LSST raws store amps C10..C17 then C07..C00 (HDU 1..16). */
export const LSST_AMP_ORDER: readonly string[] = [
  'C10',
  'C11',
  'C12',
  'C13',
  'C14',
  'C15',
  'C16',
  'C17',
  'C07',
  'C06',
  'C05',
  'C04',
  'C03',
  'C02',
  'C01',
  'C00',
];

export interface GeometryOptions {
  /**
   * Imaging size of each LSST amp; smaller than the real one for fast tests (prescan and overscan
   * keep their real widths). Ignored for HSC.
   */
  readonly ampSize?: LsstAmpSize;
}

export class UnknownDetectorError extends Error {
  constructor(instrument: InstrumentName, detector: number | string) {
    super(
      `${instrument} has no detector ${JSON.stringify(detector)}: use a detector id or name from the instrument catalog`,
    );
    this.name = 'UnknownDetectorError';
  }
}

/** The geometry of one detector of a catalogued instrument, by detector id or name (R22_S11). */
export function detectorGeometry(
  instrumentName: InstrumentName,
  detectorKey: number | string,
  options: GeometryOptions = {},
): DetectorGeometry {
  const instrument = instrumentByName(instrumentName);
  const detector =
    typeof detectorKey === 'number'
      ? detectorById(instrument, detectorKey)
      : detectorByName(instrument, detectorKey);
  if (detector === undefined) throw new UnknownDetectorError(instrumentName, detectorKey);
  const vendor = sensorVendor(instrumentName, detector);
  if (vendor === 'HSC') return hscGeometry(detector);
  return lsstGeometry(instrumentName, detector, vendor, options.ampSize);
}

/**
 * The geometry a raw file of this detector was written with: the catalog's, except that an LSST raw
 * whose amps are smaller than the real ones (a scaled-down synthetic raw) gets the amp size that
 * fits them, prescan and overscan keeping their real widths.
 */
export function detectorGeometryForRaw(
  instrumentName: InstrumentName,
  detectorKey: number | string,
  rawAmp: { readonly width: number; readonly height: number },
): DetectorGeometry {
  const catalog = detectorGeometry(instrumentName, detectorKey);
  const standard = catalog.rawImages[0];
  if (catalog.rawFormat !== 'lsst-mef' || !standard) return catalog;
  if (standard.width === rawAmp.width && standard.height === rawAmp.height) return catalog;
  const full = catalog.vendor === 'ITL' ? ITL_AMP_SIZE : E2V_AMP_SIZE;
  return detectorGeometry(instrumentName, detectorKey, {
    ampSize: {
      dataWidth: rawAmp.width - (standard.width - full.dataWidth),
      dataHeight: rawAmp.height - (standard.height - full.dataHeight),
    },
  });
}

/** LATISS and LSSTComCam are all ITL; LSSTCam's vendor goes by raft. */
export function sensorVendor(instrument: InstrumentName, detector: Detector): SensorVendor {
  if (instrument === 'HSC') return 'HSC';
  if (instrument === 'LSSTCam') return LSSTCAM_ITL_RAFTS.has(detector.name.slice(0, 3)) ? 'ITL' : 'E2V';
  return 'ITL';
}

function electronics(instrument: InstrumentName, vendor: SensorVendor): AmpElectronics {
  const nominal = NOMINAL_ELECTRONICS[`${instrument}/${vendor}`];
  if (nominal === undefined) throw new Error(`no nominal electronics for ${instrument} ${vendor} sensors`);
  return nominal;
}

function lsstGeometry(
  instrument: InstrumentName,
  detector: Detector,
  vendor: 'ITL' | 'E2V',
  ampSize: LsstAmpSize | undefined,
): DetectorGeometry {
  const size = ampSize ?? (vendor === 'ITL' ? ITL_AMP_SIZE : E2V_AMP_SIZE);
  const layout = vendor === 'ITL' ? itlAmpLayout(size) : e2vAmpLayout(size);
  const nominal = electronics(instrument, vendor);
  const amps = LSST_AMP_ORDER.map((name, image) => lsstAmp(name, image, layout, vendor, nominal));
  return {
    instrument,
    detector,
    vendor,
    rawFormat: 'lsst-mef',
    width: 8 * size.dataWidth,
    height: 2 * size.dataHeight,
    rawImages: amps.map(() => ({ width: layout.width, height: layout.height })),
    amps,
    pixelScaleArcsec: PIXEL_SCALE_ARCSEC[instrument],
  };
}

/**
 * C1n sits at column n of the upper half, read from the far corner (flipped in x and y, both
 * vendors); C0n at column n of the lower half, flipped in x on ITL and not at all on e2v.
 */
function lsstAmp(
  name: string,
  image: number,
  layout: RawAmpLayout,
  vendor: 'ITL' | 'E2V',
  nominal: AmpElectronics,
): AmpGeometry {
  const upper = name[1] === '1';
  const column = Number(name[2]);
  return {
    name,
    extname: `Segment${name.slice(1)}`,
    image,
    rawX0: 0,
    rawY0: 0,
    layout,
    flipX: upper || vendor === 'ITL',
    flipY: upper,
    bbox: ampBbox(column, upper ? 1 : 0, layout.data.width, layout.data.height),
    ...nominal,
  };
}

/** HSC raws are one 2144×4241 image of four 536-column amp slices; the data need no flips. */
function hscGeometry(detector: Detector): DetectorGeometry {
  const nominal = electronics('HSC', 'HSC');
  const amps: AmpGeometry[] = [0, 1, 2, 3].map((index) => {
    const layout = hscAmpLayout(index % 2 === 1);
    return {
      name: String(index + 1),
      image: 0,
      rawX0: index * layout.width,
      rawY0: 0,
      layout,
      flipX: false,
      flipY: false,
      bbox: ampBbox(index, 0, HSC_AMP.dataWidth, HSC_AMP.dataHeight),
      ...nominal,
    };
  });
  const first = amps[0] as AmpGeometry;
  return {
    instrument: 'HSC',
    detector,
    vendor: 'HSC',
    rawFormat: 'hsc-single-hdu',
    width: 4 * HSC_AMP.dataWidth,
    height: HSC_AMP.dataHeight,
    rawImages: [{ width: 4 * first.layout.width, height: first.layout.height }],
    amps,
    pixelScaleArcsec: PIXEL_SCALE_ARCSEC.HSC,
  };
}
