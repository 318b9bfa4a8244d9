// The instrument catalog: the one place that says which cameras Prompt Processing serves, their
// detectors, skymaps, raw key styles and default pipelines. Pure data and lookups; the service, the
// tester and the cdk8s app all import it, so a new instrument is added here and nowhere else.

/** How raw object keys are laid out in the raw bucket (upstream `shared/raw.py`). */
export type RawKeyStyle = 'lsst' | 'other';

export type InstrumentName = 'LATISS' | 'LSSTComCam' | 'LSSTCam' | 'HSC';

export interface Detector {
  /** Butler detector id. */
  readonly id: number;
  /** Raft and sensor (`R22_S11`) for LSST cameras; HSC raw keys carry the numeric id, so it is that id. */
  readonly name: string;
}

export interface PipelineDefaults {
  /** Main pipelines in fallback order (basenames under `pipelines/<instrument>/`). */
  readonly main: readonly string[];
  /** Preprocessing pipelines run while waiting for raws. */
  readonly preprocessing: readonly string[];
}

export interface Instrument {
  readonly name: InstrumentName;
  /** Lower-case name, used in Kubernetes object names, topic names and URLs. */
  readonly slug: string;
  /** Observation-id prefix of LSST cameras (`AT_O_20220321_000002`); absent for HSC. */
  readonly shortCode?: 'AT' | 'CC' | 'MC';
  readonly skymap: string;
  readonly rawKeyStyle: RawKeyStyle;
  /** The ScriptQueue index that announces this instrument's visits (testers send 999 for "all detectors"). */
  readonly salIndex: number;
  readonly detectors: readonly Detector[];
  /** Detectors the fan-out sends to for an ordinary next_visit. */
  readonly fanOutDetectors: readonly number[];
  /** Test subsets keyed by salIndex (upstream's `HSC-TEST-59134` style entries). */
  readonly fanOutDetectorsBySalIndex: Readonly<Record<number, readonly number[]>>;
  readonly pipelines: PipelineDefaults;
}

/** salIndex testers send to ask for the instrument's full fan-out list. */
export const TESTER_SAL_INDEX = 999;

function range(count: number): number[] {
  return Array.from({ length: count }, (_, i) => i);
}

/** The 3×3 sensors of one LSST raft in detector-id order: S00, S01, S02, S10, … S22. */
function raftDetectors(raft: string, firstId: number): Detector[] {
  return range(9).map((i) => ({
    id: firstId + i,
    name: `${raft}_S${Math.floor(i / 3)}${i % 3}`,
  }));
}

/** The 21 LSSTCam science rafts in id order (the four corner positions hold wavefront/guide sensors). */
export const LSSTCAM_SCIENCE_RAFTS: readonly string[] = [
  'R01',
  'R02',
  'R03',
  'R10',
  'R11',
  'R12',
  'R13',
  'R14',
  'R20',
  'R21',
  'R22',
  'R23',
  'R24',
  'R30',
  'R31',
  'R32',
  'R33',
  'R34',
  'R41',
  'R42',
  'R43',
];

const lsstCamDetectors = LSSTCAM_SCIENCE_RAFTS.flatMap((raft, index) => raftDetectors(raft, index * 9));
const hscDetectors: Detector[] = range(112).map((id) => ({ id, name: String(id) }));

export const INSTRUMENTS: Readonly<Record<InstrumentName, Instrument>> = {
  LATISS: {
    name: 'LATISS',
    slug: 'latiss',
    shortCode: 'AT',
    skymap: 'latiss_v1',
    rawKeyStyle: 'lsst',
    salIndex: 2,
    detectors: [{ id: 0, name: 'R00_S00' }],
    fanOutDetectors: [0],
    fanOutDetectorsBySalIndex: {},
    // Isr is the fallback for tester images that have no templates.
    pipelines: { main: ['ApPipe', 'Isr'], preprocessing: ['Preprocessing'] },
  },
  LSSTComCam: {
    name: 'LSSTComCam',
    slug: 'lsstcomcam',
    shortCode: 'CC',
    skymap: 'lsst_cells_v1',
    rawKeyStyle: 'lsst',
    salIndex: 1,
    detectors: raftDetectors('R22', 0),
    fanOutDetectors: range(9),
    fanOutDetectorsBySalIndex: {},
    pipelines: { main: ['ApPipe', 'SingleFrame', 'Isr'], preprocessing: ['Preprocessing'] },
  },
  LSSTCam: {
    name: 'LSSTCam',
    slug: 'lsstcam',
    shortCode: 'MC',
    skymap: 'lsst_cells_v1',
    rawKeyStyle: 'lsst',
    salIndex: 1,
    detectors: lsstCamDetectors,
    fanOutDetectors: lsstCamDetectors.map((d) => d.id),
    fanOutDetectorsBySalIndex: {},
    pipelines: { main: ['ApPipe', 'SingleFrame', 'Isr'], preprocessing: ['Preprocessing'] },
  },
  HSC: {
    name: 'HSC',
    slug: 'hsc',
    skymap: 'hsc_rings_v1',
    rawKeyStyle: 'other',
    salIndex: TESTER_SAL_INDEX,
    detectors: hscDetectors,
    // Upstream's dev fan-out keeps HSC to the pair its tester data covers.
    fanOutDetectors: [103, 104],
    fanOutDetectorsBySalIndex: {
      59134: [0, 4, 5],
      59142: [0, 5, 11],
      59150: [50, 58],
      59160: [43, 51],
    },
    pipelines: { main: ['ApPipe'], preprocessing: ['Preprocessing'] },
  },
};

export const INSTRUMENT_NAMES = Object.keys(INSTRUMENTS) as InstrumentName[];

export function isInstrumentName(name: string): name is InstrumentName {
  return Object.hasOwn(INSTRUMENTS, name);
}

/** Looks an instrument up by its Butler name; the error lists the names that exist. */
export function instrumentByName(name: string): Instrument {
  if (!isInstrumentName(name)) {
    throw new Error(`unknown instrument "${name}": use one of ${INSTRUMENT_NAMES.join(', ')}`);
  }
  return INSTRUMENTS[name];
}

/** The detectors the fan-out addresses for a next_visit from `salIndex`. */
export function fanOutDetectorsFor(instrument: Instrument, salIndex: number): readonly number[] {
  return instrument.fanOutDetectorsBySalIndex[salIndex] ?? instrument.fanOutDetectors;
}

export function detectorById(instrument: Instrument, id: number): Detector | undefined {
  return instrument.detectors.find((d) => d.id === id);
}

export function detectorByName(instrument: Instrument, name: string): Detector | undefined {
  return instrument.detectors.find((d) => d.name === name);
}
