import { describe, expect, it } from 'vitest';
import { utcToTai } from '../../../service/domain/tai';
import { decideFanOut } from '../../../service/fan-out/fan-out-decision';
import { summitVisit } from '../../support/next-visit-fixtures';

const NOW = 1_795_849_200;
const latiss = { instrument: 'LATISS', messageExpirationSeconds: 600 } as const;

function decide(message: unknown, rules: Parameters<typeof decideFanOut>[1] = latiss) {
  return decideFanOut(typeof message === 'string' ? message : JSON.stringify(message), rules, NOW);
}

describe('fan-out decision', () => {
  it('copies a LATISS visit to its one detector, without summit-only fields', () => {
    const decision = decide(summitVisit(NOW, { private_efdStamp: NOW - 2, private_seqNum: 4 }));
    expect(decision.kind).toBe('fan-out');
    if (decision.kind !== 'fan-out') return;
    expect(decision.visits.map((v) => v.detector)).toEqual([0]);
    expect(decision.visits[0]).not.toHaveProperty('private_efdStamp');
  });

  it('copies an LSSTCam visit to all 189 science detectors', () => {
    const decision = decide(summitVisit(NOW, { instrument: 'LSSTCam', salIndex: 1 }), {
      instrument: 'LSSTCam',
      messageExpirationSeconds: 600,
    });
    expect(decision.kind === 'fan-out' && decision.visits.map((v) => v.detector)).toEqual(
      Array.from({ length: 189 }, (_, i) => i),
    );
  });

  it("uses the tester's salIndex subsets for HSC", () => {
    const rules = { instrument: 'HSC', messageExpirationSeconds: 600 } as const;
    const subset = decide(summitVisit(NOW, { instrument: 'HSC', salIndex: 59150 }), rules);
    expect(subset.kind === 'fan-out' && subset.visits.map((v) => v.detector)).toEqual([50, 58]);
    const usual = decide(summitVisit(NOW, { instrument: 'HSC', salIndex: 999 }), rules);
    expect(usual.kind === 'fan-out' && usual.visits.map((v) => v.detector)).toEqual([103, 104]);
  });

  it('drops fields it does not know, and says which', () => {
    const decision = decide({ ...summitVisit(NOW), newSummitField: 1 });
    expect(decision.kind === 'fan-out' && decision.unknownFields).toEqual(['newSummitField']);
  });

  it('judges age by the EFD stamp, else by the TAI send stamp', () => {
    expect(decide(summitVisit(NOW, { private_efdStamp: NOW - 601 }))).toMatchObject({
      kind: 'dropped',
      reason: 'stale',
    });
    expect(decide(summitVisit(NOW, { private_efdStamp: NOW - 599 })).kind).toBe('fan-out');
    expect(decide(summitVisit(NOW, { private_sndStamp: utcToTai(NOW - 601) }))).toMatchObject({
      reason: 'stale',
    });
    expect(decide(summitVisit(NOW, { private_sndStamp: utcToTai(NOW - 599) })).kind).toBe('fan-out');
  });

  it.each([
    ['no instrument', summitVisit(NOW, { instrument: '' }), 'no-instrument'],
    ['another instrument', summitVisit(NOW, { instrument: 'HSC' }), 'other-instrument'],
    ['not JSON', '{"salIndex":', 'invalid'],
    ['a wrong type', { ...summitVisit(NOW), duration: 'long' }, 'invalid'],
    ['a missing field', { ...summitVisit(NOW), groupId: undefined }, 'invalid'],
  ])('drops a message with %s', (_what, message, reason) => {
    const decision = decide(message);
    expect(decision).toMatchObject({ kind: 'dropped', reason });
  });
});
