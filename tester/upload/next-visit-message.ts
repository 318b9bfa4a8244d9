// The next_visit a tester announces for a group, as the summit would (SummitVisit): pointing,
// filter, snaps and the send/start stamps. Upstream's tester values: duration 20 s, survey
// "SURVEY", camera angle 270°, ICRS, dome open. Pure: the caller passes the instant.

import {
  CoordinateSystem,
  Dome,
  parseSummitVisit,
  RotationSystem,
  type SummitVisit,
} from '../../service/domain/next-visit';
import { utcToTai } from '../../service/domain/tai';
import type { CuratedGroup } from '../pool/curated-groups';
import { POOL_ROTATION_DEG } from '../pool/simulate-pool-raw';

export interface NextVisitInputs {
  readonly instrument: string;
  readonly groupId: string;
  readonly group: Pick<CuratedGroup, 'raDeg' | 'decDeg' | 'physicalFilter' | 'salIndex' | 'snaps'>;
  /** When the message is sent, UTC Unix seconds. */
  readonly nowUtc: number;
  /** Seconds until the first snap starts (the slew). */
  readonly slewSeconds: number;
  readonly durationSeconds?: number;
}

export function nextVisitFor(inputs: NextVisitInputs): SummitVisit {
  const sndTai = utcToTai(inputs.nowUtc);
  return parseSummitVisit({
    salIndex: inputs.group.salIndex,
    scriptSalIndex: 200_023,
    groupId: inputs.groupId,
    coordinateSystem: CoordinateSystem.ICRS,
    position: [inputs.group.raDeg, inputs.group.decDeg],
    startTime: sndTai + inputs.slewSeconds,
    rotationSystem: RotationSystem.SKY,
    cameraAngle: POOL_ROTATION_DEG,
    filters: inputs.group.physicalFilter,
    dome: Dome.OPEN,
    duration: inputs.durationSeconds ?? 20,
    nimages: inputs.group.snaps,
    instrument: inputs.instrument,
    survey: 'SURVEY',
    totalCheckpoints: 0,
    private_sndStamp: sndTai,
    private_efdStamp: inputs.nowUtc,
  });
}
