// What the fan-out does with one next_visit message: drop it (unreadable, stale, no or another
// instrument) or copy it once per active detector of the instrument. Pure; time comes in.
import { fanOutDetectorsFor, type InstrumentName, instrumentByName } from '../domain/instruments';
import {
  type FannedOutVisit,
  fanOutVisit,
  InvalidVisitError,
  readSummitVisit,
  type SummitVisit,
} from '../domain/next-visit';
import { taiToUtc } from '../domain/tai';

export type DropReason = 'invalid' | 'stale' | 'no-instrument' | 'other-instrument';

export type FanOutDecision =
  | { readonly kind: 'dropped'; readonly reason: DropReason; readonly detail: string }
  | {
      readonly kind: 'fan-out';
      readonly visit: SummitVisit;
      readonly visits: readonly FannedOutVisit[];
      readonly unknownFields: readonly string[];
    };

export interface FanOutRules {
  /** The instrument this fan-out serves (RUBIN_INSTRUMENT). */
  readonly instrument: InstrumentName;
  /** MESSAGE_EXPIRATION in seconds. */
  readonly messageExpirationSeconds: number;
}

/**
 * Age of a summit message: from its EFD stamp (UTC) as upstream's fan-out measures it, or from the
 * send stamp (TAI) when a tester leaves the EFD stamp out.
 */
export function summitMessageAgeSeconds(visit: SummitVisit, nowUtcSeconds: number): number {
  const sentUtc = visit.private_efdStamp ?? taiToUtc(visit.private_sndStamp);
  return nowUtcSeconds - sentUtc;
}

export function decideFanOut(messageText: string, rules: FanOutRules, nowUtcSeconds: number): FanOutDecision {
  let read: ReturnType<typeof readSummitVisit>;
  try {
    read = readSummitVisit(JSON.parse(messageText));
  } catch (error) {
    const detail =
      error instanceof InvalidVisitError ? error.message : `not JSON: ${(error as Error).message}`;
    return { kind: 'dropped', reason: 'invalid', detail };
  }
  const { visit, unknownFields } = read;
  if (!visit.instrument)
    return { kind: 'dropped', reason: 'no-instrument', detail: 'next_visit names no instrument' };
  if (visit.instrument !== rules.instrument) {
    return {
      kind: 'dropped',
      reason: 'other-instrument',
      detail: `next_visit is for ${visit.instrument}; this fan-out serves ${rules.instrument}`,
    };
  }
  const age = summitMessageAgeSeconds(visit, nowUtcSeconds);
  if (age > rules.messageExpirationSeconds) {
    return {
      kind: 'dropped',
      reason: 'stale',
      detail: `next_visit sent ${age.toFixed(1)} s ago, over MESSAGE_EXPIRATION (${rules.messageExpirationSeconds} s)`,
    };
  }
  const detectors = fanOutDetectorsFor(instrumentByName(rules.instrument), visit.salIndex);
  return { kind: 'fan-out', visit, visits: fanOutVisit(visit, detectors), unknownFields };
}
