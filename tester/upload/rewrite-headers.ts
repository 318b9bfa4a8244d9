// New ids into a pooled raw: the primary header is reparsed and rewritten with the group's ids and
// times, and every byte after it (the pixels, compressed or not) is kept as it was. Pure.

import type { Card } from '../../service/domain/fits';
import { formatHeader, parseHeader } from '../../service/domain/fits/header';
import { isoFromMjd } from '../synthetic/exposure-description';
import { lsstObservationIdOf } from './raw-keys-for-group';

export interface RawIdentity {
  readonly instrument: string;
  readonly groupId: string;
  readonly dayObs: number;
  readonly seqNum: number;
  readonly exposureId: number;
  /** Start of the exposure, TAI MJD. */
  readonly beginMjdTai: number;
  readonly exposureTimeSeconds: number;
}

/** Cards that carry a raw's identity and time, per camera. */
export function identityCards(identity: RawIdentity): Card[] {
  const end = identity.beginMjdTai + identity.exposureTimeSeconds / 86_400;
  if (identity.instrument === 'HSC') {
    const begin = isoFromMjd(identity.beginMjdTai);
    return [
      { keyword: 'EXP-ID', value: `HSCE${String(identity.exposureId).padStart(8, '0')}` },
      { keyword: 'OBJECT', value: identity.groupId },
      { keyword: 'MJD', value: identity.beginMjdTai, real: true },
      { keyword: 'DATE-OBS', value: begin.slice(0, 10) },
      { keyword: 'UT-STR', value: begin.slice(11) },
      { keyword: 'UT-END', value: isoFromMjd(end).slice(11) },
    ];
  }
  return [
    { keyword: 'OBSID', value: lsstObservationIdOf(identity.instrument, identity.dayObs, identity.seqNum) },
    { keyword: 'DAYOBS', value: String(identity.dayObs) },
    { keyword: 'SEQNUM', value: identity.seqNum },
    { keyword: 'GROUPID', value: identity.groupId },
    { keyword: 'CONTRLLR', value: 'O' },
    { keyword: 'DATE-BEG', value: isoFromMjd(identity.beginMjdTai) },
    { keyword: 'MJD-BEG', value: identity.beginMjdTai, real: true },
    { keyword: 'DATE-END', value: isoFromMjd(end) },
    { keyword: 'MJD-END', value: end, real: true },
  ];
}

/** The raw with its primary header's cards replaced (or appended) by `cards`. */
export function rewritePrimaryHeader(raw: Uint8Array, cards: readonly Card[]): Uint8Array {
  const { header, end } = primaryHeader(raw);
  let updated = header;
  for (const card of cards) updated = updated.with(card);
  const head = formatHeader(updated.cards);
  const out = new Uint8Array(head.length + raw.length - end);
  out.set(head, 0);
  out.set(raw.subarray(end), head.length);
  return out;
}

/** The primary header's cards, from which upstream's sidecar JSON is made. */
export function primaryCards(raw: Uint8Array): readonly Card[] {
  return primaryHeader(raw).header.cards;
}

export class RawRewriteError extends Error {
  override readonly name = 'RawRewriteError';
}

function primaryHeader(raw: Uint8Array) {
  try {
    return parseHeader(raw, 0);
  } catch (error) {
    throw new RawRewriteError(
      `cannot rewrite the header of a raw that is not FITS (${(error as Error).message}): rerun make-unobserved to rebuild the pool`,
    );
  }
}
