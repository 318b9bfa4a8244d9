// Mask-plane bits, one meaning per bit, shared by ISR (which sets most of them) and measurement
// (which reads them to flag sources). Names follow the LSST Science Pipelines' mask planes.

export const MaskBit = {
  /** Known bad pixel (defect list, hot/dead column). */
  BAD: 1,
  /** At or above the amplifier's saturation level. */
  SAT: 2,
  /** Value replaced by interpolation. */
  INTRP: 4,
  /** Cosmic ray. */
  CR: 8,
  /** Too close to the detector edge for the matched filter to see a full PSF. */
  EDGE: 16,
  /** Above the positive detection threshold. */
  DETECTED: 32,
  /** Below the negative detection threshold. */
  DETECTED_NEGATIVE: 64,
  /** Usable with care (e.g. above the non-linearity limit). */
  SUSPECT: 128,
  /** No data at all (vignetted, unread). */
  NO_DATA: 256,
} as const;

export type MaskBitName = keyof typeof MaskBit;
