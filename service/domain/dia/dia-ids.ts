// 64-bit ids for what one (visit, detector) creates, packed so they are unique across the survey and
// the same on a rerun: visit (41 bits) · detector (8 bits) · running index (14 bits), which stays
// below 2^63 for visit numbers up to 2^41 (LSSTCam's YYYYMMDDNNNNN visits are < 2.2·10^12).
// DiaSources take the first indices and DiaForcedSources the ones after them. A new DiaObject
// takes the id of the DiaSource that created it, as upstream does.

const INDEX_BITS = 14n;
const DETECTOR_BITS = 8n;
const VISIT_LIMIT = 1n << (63n - INDEX_BITS - DETECTOR_BITS);

export class DiaIdError extends Error {
  override readonly name = 'DiaIdError';
}

export const MAX_IDS_PER_DETECTOR = 1 << Number(INDEX_BITS);

export function diaIdPacker(visit: bigint, detector: number): (index: number) => bigint {
  if (visit < 0n || visit >= VISIT_LIMIT) {
    throw new DiaIdError(
      `visit ${visit} does not fit the 41-bit id field: ids would collide; widen the packing`,
    );
  }
  if (!(Number.isInteger(detector) && detector >= 0 && detector < 1 << Number(DETECTOR_BITS))) {
    throw new DiaIdError(`detector ${detector} does not fit the 8-bit id field (0–255)`);
  }
  const base = ((visit << DETECTOR_BITS) | BigInt(detector)) << INDEX_BITS;
  return (index) => {
    if (!(Number.isInteger(index) && index >= 0 && index < MAX_IDS_PER_DETECTOR)) {
      throw new DiaIdError(
        `more than ${MAX_IDS_PER_DETECTOR} DiaSources and DiaForcedSources on detector ${detector} of visit ${visit}: ` +
          'raise the detection threshold (a subtraction gone wrong floods the detector)',
      );
    }
    return base | BigInt(index);
  };
}
