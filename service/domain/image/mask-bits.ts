/** Bit flags of the mask plane (names as upstream's mask planes). */
export const MaskBit = {
  BAD: 1,
  SAT: 2,
  INTRP: 4,
  CR: 8,
  EDGE: 16,
  DETECTED: 32,
  DETECTED_NEGATIVE: 64,
  SUSPECT: 128,
  NO_DATA: 256,
} as const;
