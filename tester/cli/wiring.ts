// Builds what prompt-tester's commands need from flags and environment: S3 buckets, the next_visit
// sender (Kafka or REST proxy), the id allocator, the upload context. No logic beyond choosing.
import { randomUUID } from 'node:crypto';
import pino from 'pino';
import { createKafka } from '../../service/adapters/kafka/kafka-client';
import { KafkaPublisher } from '../../service/adapters/kafka/kafka-publisher';
import { s3ClientFor } from '../../service/adapters/s3/s3-datastore';
import { S3ObjectBucket } from '../../service/adapters/s3/s3-object-bucket';
import { parseTesterConfig } from '../../service/config/tester-config';
import { bucketNames, USDF_DEV_BUCKET_BASE } from '../../service/domain/buckets';
import type { InstrumentName } from '../../service/domain/instruments';
import { instrumentByName } from '../../service/domain/instruments';
import { instrumentTopics } from '../../service/domain/topics';
import { GroupIdAllocator } from '../upload/claim-ids';
import type { NextVisitSender } from '../upload/next-visit-sender';
import { KafkaNextVisitSender } from '../upload/next-visit-sender';
import { PoolCache } from '../upload/pool-cache';
import { RestProxyNextVisitSender } from '../upload/rest-proxy-sender';
import type { UploadContext, UploadTimings } from '../upload/upload-group';

export interface BucketFlags {
  rawBucket?: string;
  usersBucket?: string;
}

export interface SendFlags extends BucketFlags {
  kafka?: string;
  topic?: string;
  topicPrefix?: string;
  restProxyUrl?: string;
  valueSchemaId?: number;
  slewSeconds: number;
  snapSeconds: number;
  kafkaTimeoutMs?: number;
}

const DEFAULT_BUCKETS = bucketNames(USDF_DEV_BUCKET_BASE);

export function buckets(flags: BucketFlags) {
  const config = parseTesterConfig(process.env);
  const client = s3ClientFor(config.S3_ENDPOINT_URL ? { endpoint: config.S3_ENDPOINT_URL } : {});
  return {
    raw: new S3ObjectBucket(client, flags.rawBucket ?? DEFAULT_BUCKETS.raw),
    users: new S3ObjectBucket(client, flags.usersBucket ?? DEFAULT_BUCKETS.users),
    close: () => client.destroy(),
  };
}

export function nextVisitSender(instrument: InstrumentName, flags: SendFlags): NextVisitSender {
  const topic =
    flags.topic ?? instrumentTopics(instrumentByName(instrument), flags.topicPrefix ?? '').nextVisit;
  if (flags.restProxyUrl)
    return new RestProxyNextVisitSender({
      url: flags.restProxyUrl,
      topic,
      valueSchemaId: flags.valueSchemaId ?? 1,
    });
  const config = parseTesterConfig(process.env);
  const bootstrapServers = flags.kafka ?? config.KAFKA_CLUSTER ?? '127.0.0.1:9092';
  const kafka = createKafka({
    bootstrapServers,
    clientId: 'prompt-tester',
    logger: pino({ level: process.env.LOG_LEVEL ?? 'silent' }),
    connectionTimeoutMs: 3000,
    retries: 1,
    ...(config.KAFKA_USERNAME && config.KAFKA_PASSWORD
      ? { scram: { username: config.KAFKA_USERNAME, password: config.KAFKA_PASSWORD } }
      : {}),
  });
  return new KafkaNextVisitSender(
    new KafkaPublisher(kafka, { publishTimeoutMs: flags.kafkaTimeoutMs ?? 15_000 }),
    topic,
  );
}

export async function uploadContext(
  instrument: InstrumentName,
  flags: SendFlags,
  kind: 'curated' | 'random',
  onFile?: (bytes: number) => void,
): Promise<{ ctx: UploadContext; close: () => Promise<void> }> {
  const b = buckets(flags);
  const timings: UploadTimings = { slewSeconds: flags.slewSeconds, snapSeconds: flags.snapSeconds };
  try {
    await b.raw.check();
    const pool = await PoolCache.open(b.users, instrument, kind);
    const sender = nextVisitSender(instrument, flags);
    const ctx: UploadContext = {
      instrument,
      usersBucket: b.users,
      rawBucket: b.raw,
      sender,
      allocator: new GroupIdAllocator(b.users, instrument, randomUUID()),
      pool,
      timings,
      nowUtcSeconds: () => Date.now() / 1000,
      sleep: (seconds) => new Promise((resolve) => setTimeout(resolve, seconds * 1000)),
      ...(onFile ? { onFile } : {}),
    };
    return {
      ctx,
      close: async () => {
        await sender.close();
        b.close();
      },
    };
  } catch (error) {
    b.close();
    throw error;
  }
}
