// Which arriving raws belong to the (visit, detector) being processed (upstream raw.py): for most
// cameras the key itself names instrument, detector, group and snap; LSST keys name instrument and
// sensor only, and the group comes from the raw's sidecar (GROUPID). Pure.
import { detectorOfRawKey, lsstExposureId, parseRawKey, type RawKey } from '../domain/raw-keys';

export interface ExpectedSnaps {
  readonly instrument: string;
  readonly detector: number;
  readonly group: string;
  /** Snaps announced; 0 = unknown (then any snap of the group matches). */
  readonly nimages: number;
}

export interface MatchedRaw {
  readonly key: string;
  readonly rawKey: RawKey;
  /** Exposure id, for de-duplicating snaps that arrive twice. */
  readonly exposureId: number;
}

/** First test on a key: right instrument and detector. LSST keys still need their sidecar's group. */
export type KeyVerdict =
  | { readonly kind: 'foreign' }
  | { readonly kind: 'match'; readonly raw: MatchedRaw }
  | { readonly kind: 'needs-sidecar'; readonly rawKey: RawKey & { style: 'lsst' } };

export function judgeKey(key: string, expected: ExpectedSnaps): KeyVerdict {
  const rawKey = parseRawKey(key);
  if (!rawKey || rawKey.instrument !== expected.instrument) return { kind: 'foreign' };
  if (detectorOfRawKey(rawKey) !== expected.detector) return { kind: 'foreign' };
  if (rawKey.style === 'lsst') return { kind: 'needs-sidecar', rawKey };
  if (rawKey.group !== expected.group) return { kind: 'foreign' };
  if (expected.nimages > 0 && rawKey.snap >= expected.nimages) return { kind: 'foreign' };
  const exposureId = Number(rawKey.exposureId);
  if (!Number.isInteger(exposureId)) return { kind: 'foreign' };
  return { kind: 'match', raw: { key, rawKey, exposureId } };
}

/** Second test for LSST raws: the sidecar's GROUPID must be the visit's group. */
export function judgeSidecar(
  key: string,
  rawKey: RawKey & { style: 'lsst' },
  sidecar: Readonly<Record<string, unknown>>,
  expected: ExpectedSnaps,
): MatchedRaw | undefined {
  if (sidecar.GROUPID !== expected.group) return undefined;
  return { key, rawKey, exposureId: lsstExposureId(rawKey.dayObs, rawKey.seqNum) };
}

/** Key prefix under which a non-LSST camera's raws of this group and detector all lie. */
export function groupPrefix(expected: ExpectedSnaps): string {
  return `${expected.instrument}/${expected.detector}/${expected.group}/`;
}
