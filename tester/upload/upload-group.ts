// Replaying one pooled group as a new visit (upstream upload.py): fresh ids, one next_visit, the
// slew wait, then per snap the exposure wait and every detector's raw — sidecar first, so the
// service never sees a raw whose sidecar is not there yet — with the new ids in headers and keys.
// What was sent is recorded in a ledger the caller reports, even when a later step fails.

import type { InstrumentName } from '../../service/domain/instruments';
import { utcToTai } from '../../service/domain/tai';
import type { ObjectBucket } from '../../service/ports/object-bucket';
import type { PoolManifestGroup } from '../pool/pool-manifest';
import { EXPOSURE_TIME_SECONDS } from '../pool/simulate-pool-raw';
import type { Transient } from '../sky/sky-model';
import { sidecarOf } from '../synthetic/lsst-raw-file';
import { mjdOfUnixSeconds } from '../synthetic/mjd';
import type { GroupIdAllocator } from './claim-ids';
import type { GroupIds } from './group-ids';
import { nextVisitFor } from './next-visit-message';
import type { NextVisitSender } from './next-visit-sender';
import type { PoolCache } from './pool-cache';
import { rawTargetFor } from './raw-keys-for-group';
import { identityCards, primaryCards, rewritePrimaryHeader } from './rewrite-headers';

export interface UploadTimings {
  /** Upstream: 2 s between next_visit and the first snap. */
  readonly slewSeconds: number;
  /** Upstream: 18 s before each snap's upload (integration and readout). */
  readonly snapSeconds: number;
}

export const UPSTREAM_TIMINGS: UploadTimings = { slewSeconds: 2, snapSeconds: 18 };

export interface UploadContext {
  readonly instrument: InstrumentName;
  readonly usersBucket: ObjectBucket;
  readonly rawBucket: ObjectBucket;
  readonly sender: NextVisitSender;
  readonly allocator: GroupIdAllocator;
  readonly pool: PoolCache;
  readonly timings: UploadTimings;
  readonly nowUtcSeconds: () => number;
  readonly sleep: (seconds: number) => Promise<void>;
  readonly onFile?: (bytes: number) => void;
}

/** What reached Kafka and the raw bucket, group by group. */
export interface SentGroup {
  readonly groupId: string;
  readonly poolGroup: string;
  nextVisitSent: boolean;
  readonly exposureIds: readonly number[];
  readonly rawKeys: string[];
  bytes: number;
}

/** The per-group record verify reads: `tester-runs/<INST>/<group>.json` in the users bucket. */
export interface GroupRecord {
  readonly instrument: InstrumentName;
  readonly groupId: string;
  readonly poolGroup: string;
  readonly hasTemplate: boolean;
  readonly exposureIds: readonly number[];
  readonly detectors: readonly { detector: number; rawKeys: string[]; transients: readonly Transient[] }[];
  readonly sentUtc: string;
}

export function groupRecordKey(instrument: string, groupId: string): string {
  return `tester-runs/${instrument}/${groupId}.json`;
}

export async function uploadGroup(
  ctx: UploadContext,
  group: PoolManifestGroup,
  ledger: SentGroup[],
): Promise<SentGroup> {
  const nowUtc = ctx.nowUtcSeconds();
  const ids = await ctx.allocator.allocate(group.snaps, utcToTai(nowUtc));
  const sent: SentGroup = {
    groupId: ids.groupId,
    poolGroup: group.name,
    nextVisitSent: false,
    exposureIds: ids.exposures.map((e) => e.exposureId),
    rawKeys: [],
    bytes: 0,
  };
  ledger.push(sent);
  await ctx.sender.send(
    nextVisitFor({
      instrument: ctx.instrument,
      groupId: ids.groupId,
      group,
      nowUtc,
      slewSeconds: ctx.timings.slewSeconds,
    }),
  );
  sent.nextVisitSent = true;
  await ctx.sleep(ctx.timings.slewSeconds);
  const detectors = new Map<number, { rawKeys: string[]; transients: readonly Transient[] }>();
  for (let snap = 0; snap < group.snaps; snap++) {
    await ctx.sleep(ctx.timings.snapSeconds);
    const begin = mjdOfUnixSeconds(utcToTai(ctx.nowUtcSeconds()));
    await Promise.all(
      group.raws.map(async (entry) => {
        const cached = await ctx.pool.raw(entry);
        const key = await uploadSnap(
          ctx,
          ids,
          group,
          entry.detector,
          entry.extension,
          snap,
          begin,
          cached.bytes,
        );
        sent.rawKeys.push(key.key);
        sent.bytes += key.size;
        const record = detectors.get(entry.detector) ?? { rawKeys: [], transients: cached.truth.transients };
        record.rawKeys.push(key.key);
        detectors.set(entry.detector, record);
        ctx.onFile?.(key.size);
      }),
    );
  }
  const record: GroupRecord = {
    instrument: ctx.instrument,
    groupId: ids.groupId,
    poolGroup: group.name,
    hasTemplate: group.hasTemplate,
    exposureIds: sent.exposureIds,
    detectors: [...detectors.entries()]
      .sort(([a], [b]) => a - b)
      .map(([detector, d]) => ({ detector, ...d })),
    sentUtc: new Date(nowUtc * 1000).toISOString(),
  };
  await ctx.usersBucket.put(
    groupRecordKey(ctx.instrument, ids.groupId),
    JSON.stringify(record),
    'application/json',
  );
  return sent;
}

async function uploadSnap(
  ctx: UploadContext,
  ids: GroupIds,
  group: PoolManifestGroup,
  detector: number,
  extension: string,
  snap: number,
  beginMjdTai: number,
  pooled: Uint8Array,
): Promise<{ key: string; size: number }> {
  const exposure = ids.exposures[snap];
  if (!exposure) throw new RangeError(`snap ${snap} has no ids`);
  const target = rawTargetFor(ids, detector, snap, group.band, extension);
  const cards = identityCards({
    instrument: ctx.instrument,
    groupId: ids.groupId,
    dayObs: ids.dayObs,
    seqNum: exposure.seqNum,
    exposureId: exposure.exposureId,
    beginMjdTai,
    exposureTimeSeconds: EXPOSURE_TIME_SECONDS,
  });
  const bytes = rewritePrimaryHeader(pooled, cards);
  if (target.sidecarKey) {
    const sidecar = sidecarOf(primaryCards(bytes));
    await ctx.rawBucket.put(target.sidecarKey, JSON.stringify(sidecar), 'application/json');
  }
  await ctx.rawBucket.put(target.key, bytes, 'application/fits');
  return { key: target.key, size: bytes.length };
}
