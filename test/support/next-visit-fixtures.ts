// next_visit messages for tests, built from the catalog's vocabulary with explicit times.
import {
  CoordinateSystem,
  Dome,
  type FannedOutVisit,
  fanOutVisit,
  RotationSystem,
  type SummitVisit,
} from '../../service/domain/next-visit';
import { utcToTai } from '../../service/domain/tai';

export function summitVisit(nowUtcSeconds: number, overrides: Partial<SummitVisit> = {}): SummitVisit {
  return {
    salIndex: 2,
    scriptSalIndex: 200023,
    groupId: `2026-11-28T03:14:15.${String(Math.floor(nowUtcSeconds * 1000) % 1000).padStart(3, '0')}`,
    coordinateSystem: CoordinateSystem.ICRS,
    position: [149.28, 2.93],
    startTime: utcToTai(nowUtcSeconds + 5),
    rotationSystem: RotationSystem.SKY,
    cameraAngle: 270,
    filters: 'SDSSr_65mm~empty',
    dome: Dome.OPEN,
    duration: 30,
    nimages: 1,
    instrument: 'LATISS',
    survey: 'SURVEY',
    totalCheckpoints: 0,
    private_sndStamp: utcToTai(nowUtcSeconds - 1),
    ...overrides,
  };
}

/** One detector's copy of a LATISS summitVisit sent now, as the fan-out would POST it. */
export function fannedOutVisit(overrides: Partial<FannedOutVisit> = {}): FannedOutVisit {
  const [visit] = fanOutVisit(summitVisit(Date.now() / 1000), [overrides.detector ?? 0]);
  if (!visit) throw new Error('fan-out produced no visit');
  return { ...visit, ...overrides };
}
