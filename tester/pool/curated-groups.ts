// The curated pools `make-unobserved` writes and `upload` replays, per instrument (upstream's
// `unobserved/<INST>/` sets): which groups, where they point, which detectors, which filter. HSC's
// groups use upstream's test salIndex values so the fan-out addresses exactly their detectors.

import {
  fanOutDetectorsFor,
  type InstrumentName,
  instrumentByName,
  TESTER_SAL_INDEX,
} from '../../service/domain/instruments';

export interface CuratedGroup {
  /** Stable name within the pool (not the group id, which upload makes fresh). */
  readonly name: string;
  readonly raDeg: number;
  readonly decDeg: number;
  readonly physicalFilter: string;
  readonly band: string;
  readonly detectors: readonly number[];
  /** salIndex the next_visit carries (selects the fan-out's detector list). */
  readonly salIndex: number;
  /** Snaps per detector (LSST: one exposure each). */
  readonly snaps: number;
  /** False for a group pointing where the central repo has no template (exercises the fallback). */
  readonly hasTemplate: boolean;
  /** Transients injected per detector. */
  readonly transients: number;
}

export interface CuratedPool {
  readonly instrument: InstrumentName;
  readonly groups: readonly CuratedGroup[];
}

const group = (g: Omit<CuratedGroup, 'snaps' | 'hasTemplate' | 'transients'> & Partial<CuratedGroup>) => ({
  snaps: 1,
  hasTemplate: true,
  transients: 5,
  ...g,
});

const HSC_R = { physicalFilter: 'HSC-R', band: 'r' };
const LATISS_R = { physicalFilter: 'SDSSr_65mm~empty', band: 'r' };
const COMCAM_R = { physicalFilter: 'r_03', band: 'r' };
const LSSTCAM_R = { physicalFilter: 'r_57', band: 'r' };

export const CURATED_POOLS: Readonly<Record<InstrumentName, CuratedPool>> = {
  // 4 groups / 10 raws, on upstream's HSC test subsets (59134: 0,4,5 …), near COSMOS.
  HSC: {
    instrument: 'HSC',
    groups: [
      group({ name: 'hsc-a', raDeg: 150.1, decDeg: 2.2, ...HSC_R, detectors: [0, 4, 5], salIndex: 59134 }),
      group({ name: 'hsc-b', raDeg: 150.11, decDeg: 2.21, ...HSC_R, detectors: [0, 5, 11], salIndex: 59142 }),
      group({ name: 'hsc-c', raDeg: 150.09, decDeg: 2.19, ...HSC_R, detectors: [50, 58], salIndex: 59150 }),
      group({ name: 'hsc-d', raDeg: 150.1, decDeg: 2.22, ...HSC_R, detectors: [43, 51], salIndex: 59160 }),
    ],
  },
  // 3 groups / 3 raws; the third points where there is no template, so ApPipe falls back to Isr.
  LATISS: {
    instrument: 'LATISS',
    groups: [
      group({ name: 'latiss-a', raDeg: 240.0, decDeg: -30.0, ...LATISS_R, detectors: [0], salIndex: 2 }),
      group({ name: 'latiss-b', raDeg: 240.002, decDeg: -30.001, ...LATISS_R, detectors: [0], salIndex: 2 }),
      group({
        name: 'latiss-no-template',
        raDeg: 300.0,
        decDeg: -45.0,
        ...LATISS_R,
        detectors: [0],
        salIndex: 2,
        hasTemplate: false,
      }),
    ],
  },
  LSSTComCam: {
    instrument: 'LSSTComCam',
    groups: [
      group({
        name: 'comcam-a',
        raDeg: 53.1,
        decDeg: -28.1,
        ...COMCAM_R,
        detectors: [0, 4, 8],
        salIndex: TESTER_SAL_INDEX,
      }),
      group({
        name: 'comcam-b',
        raDeg: 53.11,
        decDeg: -28.1,
        ...COMCAM_R,
        detectors: [1, 4, 7],
        salIndex: TESTER_SAL_INDEX,
      }),
      group({
        name: 'comcam-c',
        raDeg: 53.1,
        decDeg: -28.11,
        ...COMCAM_R,
        detectors: [3, 4, 5],
        salIndex: TESTER_SAL_INDEX,
      }),
    ],
  },
  // Around the focal-plane centre (R22_S11 = 94).
  LSSTCam: {
    instrument: 'LSSTCam',
    groups: [
      group({
        name: 'lsstcam-a',
        raDeg: 95.0,
        decDeg: -25.0,
        ...LSSTCAM_R,
        detectors: [93, 94, 95],
        salIndex: TESTER_SAL_INDEX,
      }),
      group({
        name: 'lsstcam-b',
        raDeg: 95.01,
        decDeg: -25.0,
        ...LSSTCAM_R,
        detectors: [91, 94, 97],
        salIndex: TESTER_SAL_INDEX,
      }),
      group({
        name: 'lsstcam-c',
        raDeg: 95.0,
        decDeg: -25.01,
        ...LSSTCAM_R,
        detectors: [90, 94, 98],
        salIndex: TESTER_SAL_INDEX,
      }),
    ],
  },
};

/**
 * A larger pool for upload-random (HSC-RC2 style: many visits × many detectors), drawn around one
 * field: `visits` pointings dithered by up to 0.05°, each over the first `detectors` fan-out detectors.
 */
export function randomPool(
  instrument: InstrumentName,
  visits: number,
  detectorIds: readonly number[],
): CuratedPool {
  const base = CURATED_POOLS[instrument].groups[0] as CuratedGroup;
  const groups = Array.from({ length: visits }, (_, v) => ({
    ...base,
    name: `random-${String(v).padStart(4, '0')}`,
    raDeg: base.raDeg + 0.05 * Math.sin(v * 2.399),
    decDeg: base.decDeg + 0.05 * Math.cos(v * 2.399),
    detectors: detectorIds,
    salIndex: TESTER_SAL_INDEX,
    transients: 2,
  }));
  return { instrument, groups };
}

/**
 * Detectors for a random pool of `count` per visit: first those the fan-out addresses for a tester
 * next_visit (salIndex 999; for HSC only 103 and 104), then the rest of the catalog in id order —
 * raws of detectors the fan-out skips are uploaded but never processed.
 */
export function randomPoolDetectors(instrument: InstrumentName, count: number): number[] {
  const catalog = instrumentByName(instrument);
  const addressed = fanOutDetectorsFor(catalog, TESTER_SAL_INDEX);
  const rest = catalog.detectors.map((d) => d.id).filter((id) => !addressed.includes(id));
  return [...addressed, ...rest].slice(0, count);
}

/** Distinct detectors a pool uses. */
export function poolDetectors(pool: CuratedPool): number[] {
  return [...new Set(pool.groups.flatMap((g) => g.detectors))].sort((a, b) => a - b);
}
