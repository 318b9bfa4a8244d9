// upload (N curated groups, one after another, as a camera takes them) and upload-random (N random
// visits of the large pool, K workers in parallel, with throughput). Both stop at the first
// failure with an UploadFailedError that lists everything already sent.
import { seededUniform } from '../../service/domain/synthetic/random';
import type { PoolManifestGroup } from '../pool/pool-manifest';
import { type SentGroup, type UploadContext, uploadGroup } from './upload-group';

export class UploadFailedError extends Error {
  override readonly name = 'UploadFailedError';
  constructor(
    message: string,
    readonly sent: readonly SentGroup[],
    override readonly cause: unknown,
  ) {
    super(message);
  }
}

export interface UploadReport {
  readonly groups: readonly SentGroup[];
  readonly files: number;
  readonly bytes: number;
  readonly seconds: number;
  readonly filesPerSecond: number;
  readonly megabytesPerSecond: number;
}

function report(groups: readonly SentGroup[], seconds: number): UploadReport {
  const files = groups.reduce((n, g) => n + g.rawKeys.length, 0);
  const bytes = groups.reduce((n, g) => n + g.bytes, 0);
  return {
    groups,
    files,
    bytes,
    seconds,
    filesPerSecond: seconds > 0 ? files / seconds : 0,
    megabytesPerSecond: seconds > 0 ? bytes / 1e6 / seconds : 0,
  };
}

function failure(error: unknown, ledger: readonly SentGroup[]): UploadFailedError {
  const reason = error instanceof Error ? error.message : String(error);
  const sent = ledger.filter((g) => g.nextVisitSent || g.rawKeys.length > 0);
  const summary = sent.length
    ? `already sent: ${sent.map((g) => `${g.groupId} (next_visit ${g.nextVisitSent ? 'sent' : 'not sent'}, ${g.rawKeys.length} raw(s))`).join('; ')}`
    : 'nothing was sent';
  return new UploadFailedError(`upload failed: ${reason}; ${summary}`, [...ledger], error);
}

/** N groups cycling through the curated pool in order. */
export async function uploadCurated(ctx: UploadContext, count: number): Promise<UploadReport> {
  const groups = ctx.pool.manifest.groups;
  const ledger: SentGroup[] = [];
  const start = performance.now();
  try {
    for (let i = 0; i < count; i++)
      await uploadGroup(ctx, groups[i % groups.length] as PoolManifestGroup, ledger);
  } catch (error) {
    throw failure(error, ledger);
  }
  return report(ledger, (performance.now() - start) / 1000);
}

/** N visits drawn at random (seeded) from the pool, uploaded by `workers` concurrent workers. */
export async function uploadRandom(
  ctx: UploadContext,
  count: number,
  workers: number,
  seed: number,
): Promise<UploadReport> {
  const groups = ctx.pool.manifest.groups;
  const uniform = seededUniform(seed);
  const queue = Array.from(
    { length: count },
    () => groups[Math.floor(uniform() * groups.length)] as PoolManifestGroup,
  );
  // Warm the cache first: throughput is the upload's, not the pool download's.
  await Promise.all(queue.flatMap((g) => g.raws.map((r) => ctx.pool.raw(r))));
  const ledger: SentGroup[] = [];
  let failed: unknown;
  const start = performance.now();
  const worker = async () => {
    for (let group = queue.shift(); group && failed === undefined; group = queue.shift()) {
      try {
        await uploadGroup(ctx, group, ledger);
      } catch (error) {
        failed ??= error;
      }
    }
  };
  await Promise.all(Array.from({ length: workers }, worker));
  if (failed !== undefined) throw failure(failed, ledger);
  return report(ledger, (performance.now() - start) / 1000);
}
