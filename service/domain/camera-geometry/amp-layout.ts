// Where an amplifier's pixels lie in its raw readout: the imaging section, the serial prescan and
// overscan (extra columns of each row) and the parallel overscan (extra rows). Values from the camera
// definitions (obs_lsst policy/cameraHeader.yaml, obs_subaru's HSC amp table), never from headers:
// raw headers have carried different DATASEC conventions over the years.

import { type Box, box } from './box';

export interface RawAmpLayout {
  /** Size of the amp's raw readout: the whole HDU for LSST cameras, the amp's slice for HSC. */
  readonly width: number;
  readonly height: number;
  readonly data: Box;
  readonly serialPrescan: Box;
  readonly serialOverscan: Box;
  readonly parallelOverscan: Box;
  /** Rows read before the first parallel transfer (HSC); empty for LSST sensors. */
  readonly parallelPrescan: Box;
}

export interface LsstAmpSize {
  /** Imaging columns per amp (ITL 509, e2v 512). */
  readonly dataWidth: number;
  /** Imaging rows per amp (ITL 2000, e2v 2002). */
  readonly dataHeight: number;
}

export const ITL_AMP_SIZE: LsstAmpSize = { dataWidth: 509, dataHeight: 2000 };
export const E2V_AMP_SIZE: LsstAmpSize = { dataWidth: 512, dataHeight: 2002 };

/**
 * ITL: 3 prescan columns, the data, 64 serial overscan columns; 48 parallel overscan rows. A full-size
 * amp is 576×2048. A smaller `size` keeps the prescan and overscan widths (for fast tests).
 */
export function itlAmpLayout(size: LsstAmpSize = ITL_AMP_SIZE): RawAmpLayout {
  return lsstAmpLayout(size, 3, 64, 48);
}

/** e2v: 10 prescan columns, the data, 54 serial overscan columns; 46 parallel overscan rows (576×2048). */
export function e2vAmpLayout(size: LsstAmpSize = E2V_AMP_SIZE): RawAmpLayout {
  return lsstAmpLayout(size, 10, 54, 46);
}

function lsstAmpLayout(size: LsstAmpSize, prescan: number, overscan: number, parallel: number): RawAmpLayout {
  const { dataWidth: w, dataHeight: h } = size;
  return {
    width: prescan + w + overscan,
    height: h + parallel,
    data: box(prescan, 0, w, h),
    serialPrescan: box(0, 0, prescan, h),
    serialOverscan: box(prescan + w, 0, overscan, h),
    parallelOverscan: box(prescan, h, w, parallel),
    parallelPrescan: box(0, 0, 0, 0),
  };
}

export const HSC_AMP = {
  dataWidth: 512,
  dataHeight: 4176,
  prescanColumns: 8,
  overscanColumns: 16,
  prescanRows: 49,
  overscanRows: 16,
} as const;

/**
 * One HSC amp's slice (536×4241) of the single-HDU raw: 8 prescan columns, 512 data, 16 overscan
 * columns, mirrored (overscan first) for the second and fourth amps, which read out to the left;
 * 49 rows before the data and 16 overscan rows after it.
 */
export function hscAmpLayout(mirrored: boolean): RawAmpLayout {
  const { dataWidth, dataHeight, prescanColumns, overscanColumns, prescanRows, overscanRows } = HSC_AMP;
  const width = prescanColumns + dataWidth + overscanColumns;
  const dataX0 = mirrored ? overscanColumns : prescanColumns;
  return {
    width,
    height: prescanRows + dataHeight + overscanRows,
    data: box(dataX0, prescanRows, dataWidth, dataHeight),
    serialPrescan: box(mirrored ? overscanColumns + dataWidth : 0, prescanRows, prescanColumns, dataHeight),
    serialOverscan: box(mirrored ? 0 : prescanColumns + dataWidth, prescanRows, overscanColumns, dataHeight),
    parallelOverscan: box(dataX0, prescanRows + dataHeight, dataWidth, overscanRows),
    parallelPrescan: box(dataX0, 0, dataWidth, prescanRows),
  };
}
