// The loop's embedded backends, needing nothing but `npm ci`: PGlite for the central repo's registry
// and the APDB, folders for the datastore and both buckets, and an in-process bus for next_visit,
// raw notifications (sent by the raw bucket itself, shaped as Ceph RGW's) and alerts. Everything
// lives under one data folder, so a second run starts where the first left off.
import { mkdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { FastifyBaseLogger } from 'fastify';
import { recordRawNotification } from '../activator/raw-notification-consumer';
import { FileObjectBucket } from '../adapters/filesystem/file-object-bucket';
import { FileRawBucket } from '../adapters/filesystem/file-raw-bucket';
import { InProcessBus } from '../adapters/in-memory/in-process-bus';
import { NotifyingBucket } from '../adapters/in-memory/notifying-bucket';
import { Apdb } from '../apdb/apdb';
import type { Instrument } from '../domain/instruments';
import { instrumentTopics } from '../domain/topics';
import { Repo } from '../repo/repo';
import type { InstrumentBackends, LoopBackends } from './loop-backends';

export async function openEmbeddedBackends(dataDir: string, log: FastifyBaseLogger): Promise<LoopBackends> {
  const bus = new InProcessBus((error, record) =>
    log.error({ err: error, topic: record.topic, offset: record.offset }, 'a bus consumer failed'),
  );
  const centralRoot = join(dataDir, 'central-repo');
  const exists = await stat(join(centralRoot, 'repo.yaml')).catch(() => undefined);
  await mkdir(dataDir, { recursive: true });
  const central = exists ? await Repo.openCompatible(centralRoot) : await Repo.create(centralRoot);
  const apdb = await Apdb.open({ dbUrl: join(dataDir, 'apdb'), namespace: 'apdb' });
  await apdb.create();
  const opened = new Map<string, InstrumentBackends>();
  return {
    kind: 'embedded',
    description: `embedded: PGlite + folders under ${dataDir}, in-process bus`,
    publisher: bus,
    async forInstrument(instrument: Instrument) {
      const known = opened.get(instrument.name);
      if (known) return known;
      const topics = instrumentTopics(instrument);
      const rawDir = join(dataDir, 'buckets', 'raw');
      const raw = await new FileObjectBucket(rawDir).create();
      const users = await new FileObjectBucket(join(dataDir, 'buckets', 'users')).create();
      const backends: InstrumentBackends = {
        instrument,
        topics,
        central,
        apdb,
        testerRawBucket: new NotifyingBucket(raw, bus, topics.rawNotifications, 'raw'),
        serviceRawBucket: new FileRawBucket(rawDir),
        usersBucket: users,
        serviceEnv: { CENTRAL_REPO: centralRoot, IMAGE_BUCKET: rawDir },
      };
      opened.set(instrument.name, backends);
      return backends;
    },
    async consumeNextVisits(topic, handle) {
      const off = bus.subscribe(topic, (record) => handle(record.value.toString()));
      return async () => off();
    },
    async consumeRawNotifications(topic, arrivals) {
      const off = bus.subscribe(topic, (record) =>
        recordRawNotification(record.value.toString(), arrivals, log, { topic, offset: record.offset }),
      );
      return async () => off();
    },
    async consumeAlerts(topic, handle) {
      const off = bus.subscribe(topic, (record) =>
        handle(Buffer.isBuffer(record.value) ? record.value : Buffer.from(record.value)),
      );
      return async () => off();
    },
    async close() {
      await bus.drain();
      await bus.close();
      await Promise.allSettled([central.close(), apdb.close()]);
    },
  };
}
