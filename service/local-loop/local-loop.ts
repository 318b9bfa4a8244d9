// The whole loop in one process: for each chosen instrument a seeded central repo and pool, a prompt
// service and its fan-out; then the tester plays the camera for N curated groups, and each (group,
// detector) is followed in the journal until it ends, then checked against what was injected.
import { randomUUID } from 'node:crypto';
import type { FastifyBaseLogger } from 'fastify';
import type { PoolManifestGroup } from '../../tester/pool/pool-manifest';
import { GroupIdAllocator } from '../../tester/upload/claim-ids';
import { KafkaNextVisitSender } from '../../tester/upload/next-visit-sender';
import { PoolCache } from '../../tester/upload/pool-cache';
import {
  type GroupRecord,
  type SentGroup,
  type UploadTimings,
  uploadGroup,
} from '../../tester/upload/upload-group';
import { readGroupRecord, verifyGroup } from '../../tester/verify/verify-groups';
import { apdbTableCounts } from '../dashboard/apdb-counts';
import type { LsstAmpSize } from '../domain/camera-geometry/amp-layout';
import { type Instrument, type InstrumentName, instrumentByName } from '../domain/instruments';
import type { ObjectBucket } from '../ports/object-bucket';
import { AlertArchive } from './alert-archive';
import { type RunningInstrumentService, startInstrumentService } from './instrument-service';
import type { InstrumentBackends, LoopBackends, Unsubscribe } from './loop-backends';
import { ensureSeeded } from './seed-instrument';
import type { VisitJournal, VisitRecord } from './visit-journal';
import { endedAsExpected, totalSeconds } from './visit-table';

export interface LocalLoopOptions {
  readonly backends: LoopBackends;
  readonly journal: VisitJournal;
  readonly instruments: readonly InstrumentName[];
  readonly dataDir: string;
  readonly repoRoot: string;
  readonly logger: FastifyBaseLogger;
  /** What the loop is doing, one line at a time (stdout in `npm start`). */
  readonly progress: (message: string) => void;
  readonly timings: UploadTimings;
  readonly workerCount?: number;
  /** SERVICE_LOG_LEVELS of the services (`.=WARNING` quiets the activator's own lines). */
  readonly serviceLogLevels?: string;
  /** Take the next group only when the previous one ended (one process is one pod). @default true */
  readonly sequential?: boolean;
  readonly ampSize?: LsstAmpSize;
  /** Each framed alert as it comes off an alert topic, besides the loop's own archive. */
  readonly onAlert?: (message: Buffer, instrument: InstrumentName) => void;
}

interface Running {
  readonly backends: InstrumentBackends;
  readonly service: RunningInstrumentService;
  readonly pool: PoolCache;
  readonly allocator: GroupIdAllocator;
}

export interface GroupsResult {
  readonly records: readonly VisitRecord[];
  readonly expected: boolean;
  readonly seconds: number;
}

export class LocalLoop {
  private readonly running = new Map<InstrumentName, Running>();
  private readonly closers: Unsubscribe[] = [];
  /** Every alert the instruments' topics carried, decoded (the dashboard shows them). */
  readonly archive = new AlertArchive();
  private nextGroup = new Map<InstrumentName, number>();

  private constructor(private readonly options: LocalLoopOptions) {}

  static async start(options: LocalLoopOptions): Promise<LocalLoop> {
    const loop = new LocalLoop(options);
    try {
      for (const name of options.instruments) await loop.startInstrument(instrumentByName(name));
    } catch (error) {
      await loop.stop();
      throw error;
    }
    return loop;
  }

  get journal(): VisitJournal {
    return this.options.journal;
  }

  serviceUrl(instrument: InstrumentName): string | undefined {
    return this.running.get(instrument)?.service.url;
  }

  /** APDB row counts per instrument and table, for the dashboard. */
  async apdbCounts(): Promise<Record<string, number>> {
    const counts: Record<string, number> = {};
    for (const [name, running] of this.running)
      for (const [table, n] of Object.entries(await apdbTableCounts(running.backends.apdb)))
        counts[this.running.size > 1 ? `${name} ${table}` : table] = n;
    return counts;
  }

  private async startInstrument(instrument: Instrument): Promise<void> {
    const { options } = this;
    const backends = await options.backends.forInstrument(instrument);
    const seed = await ensureSeeded(backends, options.repoRoot, options.progress, options.ampSize);
    if (seed.seeded || seed.pooled)
      options.progress(`${instrument.name}: ready after ${seed.seconds.toFixed(1)} s of seeding`);
    this.closers.push(
      await options.backends.consumeAlerts(backends.topics.alerts, (message) => {
        // Decoded once, by the archive the dashboard reads and the per-visit counts come from.
        if (!this.archive.add(message, instrument.name))
          options.journal.error({
            instrument: instrument.name,
            message: 'an alert on the topic does not decode',
          });
        options.onAlert?.(message, instrument.name);
      }),
    );
    const service = await startInstrumentService({
      backends: options.backends,
      instrument: backends,
      journal: options.journal,
      dataDir: options.dataDir,
      repoRoot: options.repoRoot,
      logger: options.logger,
      workerCount: options.workerCount ?? 4,
      ...(options.serviceLogLevels === undefined ? {} : { logLevels: options.serviceLogLevels }),
    });
    this.running.set(instrument.name, {
      backends,
      service,
      pool: await PoolCache.open(backends.usersBucket, instrument.name, 'curated'),
      allocator: new GroupIdAllocator(backends.usersBucket, instrument.name, randomUUID()),
    });
    options.progress(
      `${instrument.name}: prompt service on ${service.url} (deployment ${service.deployment})`,
    );
  }

  /**
   * Plays `count` curated groups of an instrument one after another, each once the previous one has
   * ended, and resolves once every (group, detector) ended; `expected` says whether all ended as meant.
   */
  async runGroups(
    name: InstrumentName,
    count: number,
    options: { timeoutSeconds?: number; only?: (group: PoolManifestGroup) => boolean } = {},
  ): Promise<GroupsResult> {
    const running = this.running.get(name);
    if (!running) throw new Error(`${name} is not running in this loop`);
    const timeoutSeconds = options.timeoutSeconds ?? 900;
    const started = performance.now();
    const groups = running.pool.manifest.groups.filter(options.only ?? (() => true));
    const putAt = new Map<string, number>();
    const rawBucket = timedPuts(running.backends.testerRawBucket, putAt);
    const sender = new KafkaNextVisitSender(
      this.options.backends.publisher,
      running.backends.topics.nextVisit,
    );
    const ledger: SentGroup[] = [];
    const ends: Promise<VisitRecord>[] = [];
    for (let i = 0; i < count; i++) {
      const index = this.nextGroup.get(name) ?? 0;
      this.nextGroup.set(name, index + 1);
      const group = groups[index % groups.length];
      if (!group) throw new Error(`the ${name} pool has no groups`);
      const sent = await uploadGroup(
        {
          instrument: name,
          usersBucket: running.backends.usersBucket,
          rawBucket,
          sender,
          allocator: running.allocator,
          pool: running.pool,
          timings: this.options.timings,
          nowUtcSeconds: () => Date.now() / 1000,
          sleep: (seconds) => new Promise((resolve) => setTimeout(resolve, seconds * 1000)),
        },
        group,
        ledger,
      );
      this.options.progress(
        `${name}: sent group ${sent.groupId} (${group.name}${group.hasTemplate ? '' : ', no template'}, ${group.raws.length} detector(s))`,
      );
      const uploaded = await readGroupRecord(running.backends.usersBucket, sent.groupId);
      const groupEnds: Promise<VisitRecord>[] = [];
      for (const raw of group.raws) {
        const record = this.options.journal.entry(name, sent.groupId, raw.detector);
        record.hasTemplate = group.hasTemplate;
        record.expectedPipeline = running.service.mainPipelines[0];
        const keys = uploaded.detectors.find((d) => d.detector === raw.detector)?.rawKeys ?? [];
        record.rawsPutAt = Math.max(...keys.map((key) => putAt.get(key) ?? 0));
        groupEnds.push(this.followVisit(running, uploaded, record, timeoutSeconds));
      }
      // One process stands in for a Knative service that would scale out: the next group is taken
      // once this one's detectors are done, so visits do not share the CPU and their times are theirs.
      if (this.options.sequential !== false) await Promise.all(groupEnds);
      ends.push(...groupEnds);
    }
    const records = await Promise.all(ends);
    const firstChoice = running.service.mainPipelines[0] ?? '';
    return {
      records,
      expected: records.every((r) => endedAsExpected(r, firstChoice)),
      seconds: (performance.now() - started) / 1000,
    };
  }

  /** Waits for the visit to end, then counts its DIA sources against the injected transients. */
  private async followVisit(
    running: Running,
    group: GroupRecord,
    record: VisitRecord,
    timeoutSeconds: number,
  ): Promise<VisitRecord> {
    const { journal } = this.options;
    await new Promise<void>((resolve) => {
      const ended = () => record.status === 'done' || record.status === 'failed';
      if (ended()) return resolve();
      const timer = setTimeout(() => {
        off();
        journal.failed(record, 0, `no answer within ${timeoutSeconds} s`);
        resolve();
      }, timeoutSeconds * 1000);
      const off = journal.onChange((changed) => {
        if (changed === record && ended()) {
          clearTimeout(timer);
          off();
          resolve();
        }
      });
    });
    try {
      const verdict = (await verifyGroup(group, running.backends.apdb, running.backends.central)).find(
        (v) => v.detector === record.detector,
      );
      if (verdict) {
        record.visit = verdict.visit;
        record.diaSources = verdict.diaSources;
        record.transientsInjected = verdict.transientsInjected;
        record.transientsFound = verdict.transientsFound;
        record.alerts = this.archive.diaSources(verdict.visit, record.detector, record.instrument).length;
      }
    } catch (error) {
      journal.error({
        instrument: record.instrument,
        group: record.group,
        detector: record.detector,
        message: `could not check the visit's outputs: ${(error as Error).message}`,
      });
    }
    journal.changed(record);
    this.options.progress(describeEnd(record));
    return record;
  }

  async stop(): Promise<void> {
    await Promise.allSettled([...this.running.values()].map((r) => r.service.close()));
    await Promise.allSettled(this.closers.map((close) => close()));
    this.running.clear();
  }
}

function describeEnd(record: VisitRecord): string {
  const where = `${record.instrument} ${record.group} det ${record.detector}`;
  if (record.status !== 'done') return `${where}: FAILED (${record.httpStatus ?? '-'}) ${record.error ?? ''}`;
  const total = totalSeconds(record);
  const dia =
    record.diaSources === undefined
      ? ''
      : `, ${record.diaSources} DIA source(s), ${record.transientsFound}/${record.transientsInjected} injected found, ${record.alerts} alert(s)`;
  return `${where}: ${record.pipeline}${record.fallback ? ' (fallback)' : ''}${dia} in ${total?.toFixed(1) ?? '-'} s`;
}

/** The bucket, noting when each put completed (PUT → APDB commit is measured from there). */
function timedPuts(bucket: ObjectBucket, putAt: Map<string, number>): ObjectBucket {
  return {
    location: bucket.location,
    check: () => bucket.check(),
    claim: (key, body) => bucket.claim(key, body),
    get: (key) => bucket.get(key),
    list: (prefix) => bucket.list(prefix),
    async put(key, body, contentType) {
      await bucket.put(key, body, contentType);
      putAt.set(key, Date.now());
    },
  };
}
