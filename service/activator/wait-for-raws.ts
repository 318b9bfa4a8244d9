// Waits for the snaps of one (visit, detector): raws already in the bucket, then those the bucket
// notifications announce, until every announced snap is there or `duration·2 + IMAGE_TIMEOUT` has
// passed. LSST raws are matched through their sidecar's GROUPID, read with short retries because a
// sidecar may land just after its image. Snaps seen twice (same exposure) count once.
import type { FastifyBaseLogger } from 'fastify';
import { instrumentByName } from '../domain/instruments';
import { sidecarKeyOf } from '../domain/raw-keys';
import type { RawBucket } from '../ports/raw-bucket';
import type { ArrivalCursor, RawArrivals } from './raw-arrivals';
import { type ExpectedSnaps, groupPrefix, judgeKey, judgeSidecar, type MatchedRaw } from './snap-matcher';

/** No raw arrived in time: nothing was ingested, nothing is exported. */
export class ImagesTimedOutError extends Error {
  override readonly name = 'ImagesTimedOutError';
  constructor(seconds: number) {
    super(`Timed out waiting for images. (none arrived within ${seconds.toFixed(1)} s)`);
  }
}

/** Snaps to wait for when next_visit does not say (upstream's bound). */
export const UNKNOWN_SNAP_COUNT = 100;

export interface WaitForRawsOptions {
  readonly expected: ExpectedSnaps;
  /** The visit's `duration` in seconds. */
  readonly durationSeconds: number;
  /** IMAGE_TIMEOUT in seconds. */
  readonly imageTimeoutSeconds: number;
  readonly bucket: RawBucket;
  readonly arrivals: RawArrivals;
  readonly log: FastifyBaseLogger;
  readonly signal: AbortSignal;
  /** Sidecar reads tried before giving up on an LSST raw. @default 21 */
  readonly sidecarAttempts?: number;
  /** @default 100 */
  readonly sidecarRetryMs?: number;
}

export function imageWaitSeconds(durationSeconds: number, imageTimeoutSeconds: number): number {
  return durationSeconds * 2 + imageTimeoutSeconds;
}

async function readSidecar(
  options: WaitForRawsOptions,
  key: string,
): Promise<Record<string, unknown> | undefined> {
  const attempts = options.sidecarAttempts ?? 21;
  const sidecarKey = sidecarKeyOf(key);
  for (let attempt = 1; attempt <= attempts; attempt++) {
    const bytes = await options.bucket.read(sidecarKey, options.signal);
    if (bytes) {
      try {
        return JSON.parse(bytes.toString('utf8')) as Record<string, unknown>;
      } catch {
        options.log.warn({ key: sidecarKey }, 'sidecar is not JSON; ignoring its raw');
        return undefined;
      }
    }
    if (attempt < attempts) await new Promise((r) => setTimeout(r, options.sidecarRetryMs ?? 100));
  }
  options.log.warn({ key: sidecarKey }, 'no sidecar appeared for a raw; cannot tell its group');
  return undefined;
}

async function resolveKey(options: WaitForRawsOptions, key: string): Promise<MatchedRaw | undefined> {
  const verdict = judgeKey(key, options.expected);
  if (verdict.kind === 'foreign') return undefined;
  if (verdict.kind === 'match') return verdict.raw;
  const sidecar = await readSidecar(options, key);
  return sidecar ? judgeSidecar(key, verdict.rawKey, sidecar, options.expected) : undefined;
}

/** Raws already in the bucket. Only key layouts that name the group can be listed cheaply. */
async function alreadyArrived(options: WaitForRawsOptions): Promise<string[]> {
  if (instrumentByName(options.expected.instrument).rawKeyStyle !== 'other') return [];
  return options.bucket.list(groupPrefix(options.expected), options.signal);
}

export async function waitForRaws(options: WaitForRawsOptions): Promise<MatchedRaw[]> {
  const { expected, log, signal } = options;
  const wanted = expected.nimages > 0 ? expected.nimages : UNKNOWN_SNAP_COUNT;
  const waitSeconds = imageWaitSeconds(options.durationSeconds, options.imageTimeoutSeconds);
  const deadline = Date.now() + waitSeconds * 1000;
  const found = new Map<number, MatchedRaw>();
  const take = async (key: string) => {
    const raw = await resolveKey(options, key);
    if (raw && !found.has(raw.exposureId)) {
      found.set(raw.exposureId, raw);
      log.info({ key, exposure: raw.exposureId }, 'raw arrived');
    }
  };
  const cursor: ArrivalCursor = options.arrivals.cursor();
  try {
    for (const key of await alreadyArrived(options)) await take(key);
    if (found.size < wanted)
      log.info({ wanted, have: found.size, seconds: waitSeconds }, 'Waiting for snaps...');
    while (found.size < wanted) {
      const remaining = deadline - Date.now();
      if (remaining <= 0) break;
      // bounded polls, so an abort or the deadline is noticed promptly even on a silent topic
      const key = await cursor.next(Math.min(remaining, 15_000), signal);
      if (key !== undefined) await take(key);
    }
    if (found.size < wanted) for (const key of await alreadyArrived(options)) await take(key);
  } finally {
    cursor.close();
  }
  if (found.size === 0) throw new ImagesTimedOutError(waitSeconds);
  if (found.size < wanted && expected.nimages > 0) {
    log.warn({ wanted, have: found.size }, 'only some snaps arrived; processing those');
  }
  return [...found.values()].sort((a, b) => a.exposureId - b.exposureId);
}
