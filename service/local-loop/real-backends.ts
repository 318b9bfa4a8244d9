// The loop's real backends: the local Apache Kafka, Ceph RGW and PostgreSQL (started through
// scripts/services.sh when needed), under the names of a developer environment (`dev-<name>-`
// topics, per-instrument buckets, the developer's APDB schemas). Raw notifications go the way they
// go in a developer namespace: RGW pushes each event over HTTP to the notification bridge (run in
// this process), which produces it to the raw-notifications topic the service consumes.
import { spawnSync } from 'node:child_process';
import {
  CreateBucketCommand,
  DeleteObjectCommand,
  DeleteObjectsCommand,
  ListObjectsV2Command,
  PutBucketNotificationConfigurationCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { CreateTopicCommand, SNSClient } from '@aws-sdk/client-sns';
import type { FastifyInstance } from 'fastify';
import type { Consumer, Kafka } from 'kafkajs';
import type { Logger } from 'pino';
import { developerEnvironment } from '../../infra/environments/developer';
import { startRawNotificationConsumer } from '../activator/raw-notification-consumer';
import { createKafka } from '../adapters/kafka/kafka-client';
import { KafkaPublisher } from '../adapters/kafka/kafka-publisher';
import { openSqlDatabase } from '../adapters/open-sql-database';
import { s3ClientFor } from '../adapters/s3/s3-datastore';
import { S3ObjectBucket } from '../adapters/s3/s3-object-bucket';
import { S3RawBucket } from '../adapters/s3/s3-raw-bucket';
import { Apdb } from '../apdb/apdb';
import { BRIDGE_NOTIFICATION_PATH } from '../config/bridge-config';
import { localDatabaseUrl, localS3Endpoint, localServicesDir } from '../config/local-services';
import { apdbLocation } from '../domain/apdb/apdb-location';
import { bucketNames } from '../domain/buckets';
import { type Instrument, type InstrumentName, instrumentByName } from '../domain/instruments';
import { instrumentTopics } from '../domain/topics';
import { buildBridgeApp } from '../notification-bridge/bridge-app';
import { quoteIdentifier } from '../ports/sql-database';
import { Repo } from '../repo/repo';
import type { InstrumentBackends, LoopBackends } from './loop-backends';
import { seedMarkerKey } from './seed-instrument';

/** The developer environment whose names the loop uses (PP_DEVELOPER, default "local"). */
function loopEnvironment(developer?: string) {
  return developerEnvironment(developer ?? process.env.PP_DEVELOPER ?? 'local');
}

export interface RealBackendOptions {
  /** Names of this developer's environment. @default PP_DEVELOPER, else "local" */
  readonly developer?: string;
  /** Run `npm run services:up` first (unless PP_SERVICES_AUTOSTART=0). @default true */
  readonly startServices?: boolean;
}

/** Topic, bucket, schema and repo names of the loop's environment for an instrument. */
export function realLoopNames(instrument: Instrument, developer?: string) {
  const environment = loopEnvironment(developer);
  const buckets = bucketNames(environment.objectStore.bucketBase, instrument);
  return {
    buckets,
    topics: instrumentTopics(instrument, environment.resourcePrefix),
    apdbSchema: environment.apdbSchemaOf(instrument),
    registrySchema: `pp_registry_${instrument.slug}_${environment.name.replaceAll('-', '_')}`,
    centralRepo: `s3://${buckets.users}/${environment.centralRepoPath}`,
  };
}

function startServices(repoRoot: string, say: (line: string) => void): void {
  if (process.env.PP_SERVICES_AUTOSTART === '0') return;
  say('starting the local services if needed (npm run services:up)…');
  const result = spawnSync('bash', ['scripts/services.sh', 'up'], { cwd: repoRoot, stdio: ['ignore', 2, 2] });
  if (result.status !== 0)
    throw new Error(`"npm run services:up" failed (exit ${result.status}): see its output above`);
}

/** S3 credentials and the checksum mode Ceph RGW accepts, for every S3 client this process makes. */
function useLocalS3(repoRoot: string): string {
  const s3 = localS3Endpoint(localServicesDir(repoRoot));
  process.env.AWS_ACCESS_KEY_ID ??= s3.accessKeyId;
  process.env.AWS_SECRET_ACCESS_KEY ??= s3.secretAccessKey;
  process.env.AWS_REGION ??= s3.region;
  process.env.AWS_REQUEST_CHECKSUM_CALCULATION ??= 'WHEN_REQUIRED';
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  return s3.endpoint;
}

async function ensureBucket(s3: S3Client, bucket: string): Promise<void> {
  try {
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  } catch (error) {
    const name = (error as { name?: string }).name;
    if (name !== 'BucketAlreadyOwnedByYou' && name !== 'BucketAlreadyExists') throw error;
  }
}

async function emptyBucket(s3: S3Client, bucket: string, prefix?: string): Promise<number> {
  let removed = 0;
  for (;;) {
    const page = await s3
      .send(new ListObjectsV2Command({ Bucket: bucket, ...(prefix ? { Prefix: prefix } : {}) }))
      .catch(() => undefined);
    const keys = (page?.Contents ?? []).flatMap((o) => (o.Key ? [{ Key: o.Key }] : []));
    if (keys.length === 0) return removed;
    await s3.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: keys } }));
    removed += keys.length;
  }
}

/** Drops the loop's APDB and registry schemas of one instrument. */
async function dropLoopSchemas(databaseUrl: string, names: ReturnType<typeof realLoopNames>): Promise<void> {
  const db = await openSqlDatabase(databaseUrl);
  try {
    for (const schema of [names.apdbSchema, names.registrySchema])
      await db.exec(`DROP SCHEMA IF EXISTS ${quoteIdentifier(schema)} CASCADE`);
  } finally {
    await db.close();
  }
}

/** `--fresh --real`: empties the loop's buckets and drops its registry and APDB schemas. */
export async function wipeRealBackends(
  repoRoot: string,
  instruments: readonly InstrumentName[],
  say: (line: string) => void,
  options: RealBackendOptions = {},
): Promise<void> {
  if (options.startServices !== false) startServices(repoRoot, say);
  const s3 = s3ClientFor({ endpoint: useLocalS3(repoRoot) });
  const databaseUrl = localDatabaseUrl(localServicesDir(repoRoot), 'DEV_DATABASE_URL');
  try {
    for (const name of instruments) {
      const names = realLoopNames(instrumentByName(name), options.developer);
      for (const bucket of [names.buckets.raw, names.buckets.users]) await emptyBucket(s3, bucket);
      await dropLoopSchemas(databaseUrl, names);
      say(
        `${name}: emptied ${names.buckets.raw}, ${names.buckets.users}; dropped ${names.apdbSchema}, ${names.registrySchema}`,
      );
    }
  } finally {
    s3.destroy();
  }
}

/**
 * Clears what an unfinished seeding (or a reset of only one of the services) left behind: the
 * central repo's files and its registry and APDB schemas. Without the seeding marker, a registry
 * schema may outlive its files (PostgreSQL kept, RGW wiped) and point at datasets that are gone.
 * The curated pool's raws stay: they have their own manifest.
 */
async function resetUnseeded(
  s3: S3Client,
  databaseUrl: string,
  names: ReturnType<typeof realLoopNames>,
  instrument: InstrumentName,
  say: (line: string) => void,
): Promise<void> {
  const prefix = names.centralRepo.slice(`s3://${names.buckets.users}/`.length).replace(/\/?$/, '/');
  const removed = await emptyBucket(s3, names.buckets.users, prefix);
  await s3.send(new DeleteObjectCommand({ Bucket: names.buckets.users, Key: seedMarkerKey(instrument) }));
  await dropLoopSchemas(databaseUrl, names);
  say(
    `${names.centralRepo} was not seeded completely or lost its registry: starting it afresh (${removed} files removed, ${names.registrySchema} and ${names.apdbSchema} dropped)`,
  );
}

export async function openRealBackends(
  repoRoot: string,
  log: Logger,
  say: (line: string) => void,
  options: RealBackendOptions = {},
): Promise<LoopBackends> {
  if (options.startServices !== false) startServices(repoRoot, say);
  const endpoint = useLocalS3(repoRoot);
  const databaseUrl = localDatabaseUrl(localServicesDir(repoRoot), 'DEV_DATABASE_URL');
  const bootstrapServers = process.env.KAFKA_CLUSTER ?? '127.0.0.1:9092';
  const kafka: Kafka = createKafka({ bootstrapServers, clientId: 'prompt-local-loop', logger: log });
  const s3 = s3ClientFor({ endpoint });
  const sns = new SNSClient({ endpoint, region: process.env.AWS_REGION ?? 'us-east-1' });
  const publisher = new KafkaPublisher(kafka);
  const consumers: Consumer[] = [];
  const bridges: FastifyInstance[] = [];
  const opened: Array<{ central: Repo; apdb: Apdb }> = [];
  const admin = kafka.admin();
  await admin.connect();

  const consume = async (topic: string, each: (value: Buffer) => void): Promise<() => Promise<void>> => {
    const consumer = kafka.consumer({
      groupId: `prompt-local-loop-${topic}-${process.pid}-${Date.now()}`,
      maxWaitTimeInMs: 100,
    });
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: false });
    const joined = new Promise<void>((resolve) => {
      const off = consumer.on(consumer.events.GROUP_JOIN, () => {
        off();
        resolve();
      });
    });
    await consumer.run({ eachMessage: async ({ message }) => each(message.value ?? Buffer.alloc(0)) });
    await joined;
    consumers.push(consumer);
    return () => consumer.disconnect();
  };

  return {
    kind: 'real',
    description: `real: Kafka ${bootstrapServers}, Ceph RGW ${endpoint}, PostgreSQL ${databaseUrl.replace(/\/\/[^@]*@/, '//')} (names of developer environment ${loopEnvironment(options.developer).name})`,
    publisher,
    async forInstrument(instrument: Instrument): Promise<InstrumentBackends> {
      const names = realLoopNames(instrument, options.developer);
      await admin.createTopics({
        waitForLeaders: true,
        topics: Object.values(names.topics).map((topic) => ({
          topic,
          numPartitions: 1,
          replicationFactor: 1,
        })),
      });
      for (const bucket of [names.buckets.raw, names.buckets.users]) await ensureBucket(s3, bucket);
      // RGW → HTTP push → bridge → Kafka, as in a developer namespace.
      const bridgePublisher = new KafkaPublisher(kafka);
      const bridge = buildBridgeApp({
        publisher: bridgePublisher,
        topic: names.topics.rawNotifications,
        logger: log,
      });
      bridge.addHook('onClose', () => bridgePublisher.close());
      const bridgeUrl = await bridge.listen({ host: '127.0.0.1', port: 0 });
      bridges.push(bridge);
      const { TopicArn } = await sns.send(
        new CreateTopicCommand({
          Name: `${names.buckets.raw}-raw-created`,
          Attributes: { 'push-endpoint': `${bridgeUrl}${BRIDGE_NOTIFICATION_PATH}`, persistent: 'false' },
        }),
      );
      await s3.send(
        new PutBucketNotificationConfigurationCommand({
          Bucket: names.buckets.raw,
          NotificationConfiguration: {
            TopicConfigurations: [{ Id: 'raw-created', TopicArn, Events: ['s3:ObjectCreated:*'] }],
          },
        }),
      );
      const usersBucket = new S3ObjectBucket(s3, names.buckets.users);
      const seeded = (await usersBucket.get(seedMarkerKey(instrument.name))) !== undefined;
      if (!seeded) await resetUnseeded(s3, databaseUrl, names, instrument.name, say);
      let central: Repo;
      try {
        central = await Repo.openCompatible(names.centralRepo, { s3: { endpoint } });
      } catch (openError) {
        // Seeded once, but its registry (or repo.yaml) is gone since: seed it again from nothing.
        if (seeded) await resetUnseeded(s3, databaseUrl, names, instrument.name, say);
        try {
          central = await Repo.create(names.centralRepo, {
            s3: { endpoint },
            registryDb: databaseUrl,
            namespace: names.registrySchema,
          });
        } catch (createError) {
          // Half a repo (its repo.yaml without its registry schema, or the reverse) is not repaired here.
          throw new Error(
            `the loop's central repo ${names.centralRepo} can be neither opened (${(openError as Error).message}) nor created (${(createError as Error).message}): reset it with "npm start -- --real --fresh"`,
          );
        }
      }
      const apdb = await Apdb.open(apdbLocation(databaseUrl, names.apdbSchema));
      await apdb.create();
      opened.push({ central, apdb });
      return {
        instrument,
        topics: names.topics,
        central,
        apdb,
        testerRawBucket: new S3ObjectBucket(s3, names.buckets.raw),
        serviceRawBucket: new S3RawBucket(s3, names.buckets.raw),
        usersBucket,
        serviceEnv: {
          CENTRAL_REPO: names.centralRepo,
          IMAGE_BUCKET: names.buckets.raw,
          S3_ENDPOINT_URL: endpoint,
          KAFKA_CLUSTER: bootstrapServers,
          BUCKET_TOPIC: names.topics.rawNotifications,
          AP_KAFKA_TOPIC: names.topics.alerts,
          CONFIG_APDB: `${databaseUrl}?options=-c%20search_path%3D${names.apdbSchema}`,
        },
      };
    },
    async consumeNextVisits(topic, handle) {
      return consume(topic, (value) => handle(value.toString('utf8')));
    },
    async consumeRawNotifications(topic, arrivals) {
      const consumer = await startRawNotificationConsumer({
        kafka,
        topic,
        arrivals,
        log,
        joinTimeoutMs: 30_000,
      });
      consumers.push(consumer);
      return () => consumer.disconnect();
    },
    async consumeAlerts(topic, handle) {
      return consume(topic, handle);
    },
    async close() {
      await Promise.allSettled(consumers.map((c) => c.disconnect()));
      await Promise.allSettled(bridges.map((b) => b.close()));
      await Promise.allSettled([publisher.close(), admin.disconnect()]);
      await Promise.allSettled(opened.flatMap(({ central, apdb }) => [central.close(), apdb.close()]));
      s3.destroy();
      sns.destroy();
    },
  };
}
