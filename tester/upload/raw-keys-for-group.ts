// Where a replayed raw lands in the raw bucket: upstream's key layouts (service/domain/raw-keys.ts)
// filled with the group's fresh ids, and the sidecar key beside LSST raws. Pure.

import { detectorById, type InstrumentName, instrumentByName } from '../../service/domain/instruments';
import { lsstObsId, lsstRawKeyOf, otherRawKeyOf, sidecarKeyOf } from '../../service/domain/raw-keys';
import type { GroupIds } from './group-ids';

export interface RawTarget {
  readonly key: string;
  /** LSST raws only. */
  readonly sidecarKey?: string;
}

export function lsstObservationIdOf(instrument: string, dayObs: number, seqNum: number): string {
  return lsstObsId(instrumentByName(instrument), 'O', dayObs, seqNum);
}

/**
 * The key for snap `snap` of `detector` in a group. HSC keys carry the band as their filter field:
 * HSC physical filters (`HSC-R`) contain the "-" that delimits the file name.
 */
export function rawTargetFor(
  ids: GroupIds,
  detector: number,
  snap: number,
  band: string,
  extension: string,
): RawTarget {
  const instrument = instrumentByName(ids.instrument);
  const exposure = ids.exposures[snap];
  if (!exposure)
    throw new RangeError(`group ${ids.groupId} has ${ids.exposures.length} snap(s), not ${snap + 1}`);
  if (instrument.rawKeyStyle === 'other') {
    const key = otherRawKeyOf({
      instrument: ids.instrument,
      detector,
      group: ids.groupId,
      snap,
      exposureId: String(exposure.exposureId),
      filter: band,
    });
    return { key };
  }
  const name = detectorById(instrument, detector)?.name;
  if (!name) throw new RangeError(`${ids.instrument} has no detector ${detector}`);
  const key = lsstRawKeyOf({
    instrument: ids.instrument as InstrumentName,
    dayObs: ids.dayObs,
    controller: 'O',
    seqNum: exposure.seqNum,
    raftSensor: name,
    extension,
  });
  return { key, sidecarKey: sidecarKeyOf(key) };
}
