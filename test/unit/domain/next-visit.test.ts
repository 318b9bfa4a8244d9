import { describe, expect, it } from 'vitest';
import {
  CoordinateSystem,
  Dome,
  fanOutVisit,
  InvalidVisitError,
  parseFannedOutVisit,
  parseSummitVisit,
  RotationSystem,
  type SummitVisit,
  visitAgeSeconds,
  visitInstrument,
} from '../../../service/domain/next-visit';
import { utcToTai } from '../../../service/domain/tai';

const summit: SummitVisit = {
  salIndex: 2,
  scriptSalIndex: 200023,
  groupId: '2026-11-28T03:14:15.926',
  coordinateSystem: CoordinateSystem.ICRS,
  position: [149.28, 2.93],
  startTime: 1_795_849_000,
  rotationSystem: RotationSystem.SKY,
  cameraAngle: 270,
  filters: 'SDSSr_65mm~empty',
  dome: Dome.OPEN,
  duration: 30,
  nimages: 2,
  instrument: 'LATISS',
  survey: 'BLOCK-365',
  totalCheckpoints: 0,
  private_sndStamp: 1_795_848_990,
  private_efdStamp: 1_795_848_953,
  private_seqNum: 7,
};

describe('next_visit', () => {
  it('fans a summit visit out per detector, without the summit-only fields', () => {
    const fanned = fanOutVisit(parseSummitVisit(summit), [0, 5]);
    expect(fanned.map((v) => v.detector)).toEqual([0, 5]);
    expect(fanned[0]).not.toHaveProperty('private_efdStamp');
    expect(fanned[0]).not.toHaveProperty('private_seqNum');
    expect(parseFannedOutVisit(JSON.parse(JSON.stringify(fanned[1])))).toEqual(fanned[1]);
  });

  it('measures age from the TAI send stamp', () => {
    const nowUtc = 1_795_849_100;
    const visit = { private_sndStamp: utcToTai(nowUtc - 600) };
    expect(visitAgeSeconds(visit, nowUtc)).toBeCloseTo(600, 6);
  });

  it('knows which instruments are ours', () => {
    expect(visitInstrument(summit)).toBe('LATISS');
    expect(visitInstrument({ instrument: '' })).toBeUndefined();
    expect(visitInstrument({ instrument: 'LSSTCam-imSim' })).toBeUndefined();
  });

  const fanned = { ...fanOutVisit(summit, [0])[0] };
  it.each([
    ['an unknown field', { ...fanned, extra: 1 }, /unknown field\(s\): extra/],
    ['a summit-only field', { ...fanned, private_efdStamp: 1 }, /unknown field\(s\): private_efdStamp/],
    ['a missing detector', { ...fanned, detector: undefined }, /detector/],
    ['an enum given as a name', { ...fanned, coordinateSystem: 'ICRS' }, /coordinateSystem/],
    ['an enum code out of range', { ...fanned, dome: 7 }, /dome must be one of 1, 2, 3/],
    ['a position of one number', { ...fanned, position: [1] }, /position/],
    ['a string duration', { ...fanned, duration: '30' }, /duration/],
    ['a negative nimages', { ...fanned, nimages: -1 }, /nimages/],
    ['not an object', 'visit', /not a FannedOutVisit/],
  ])('fails on %s, naming it', (_what, value, reason) => {
    expect(() => parseFannedOutVisit(value)).toThrow(InvalidVisitError);
    expect(() => parseFannedOutVisit(value)).toThrow(reason);
  });
});
