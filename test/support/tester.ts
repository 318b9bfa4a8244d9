// Tester fixtures for integration tests: throwaway raw and users buckets in the local RGW, a
// next-visit topic, and an upload context wired to them, all with unique names and a cleanup.
import { randomUUID } from 'node:crypto';
import { CreateBucketCommand, DeleteBucketCommand, type S3Client } from '@aws-sdk/client-s3';
import type { Kafka } from 'kafkajs';
import { KafkaPublisher } from '../../service/adapters/kafka/kafka-publisher';
import { s3ClientFor } from '../../service/adapters/s3/s3-datastore';
import { S3ObjectBucket } from '../../service/adapters/s3/s3-object-bucket';
import type { InstrumentName } from '../../service/domain/instruments';
import { GroupIdAllocator } from '../../tester/upload/claim-ids';
import { KafkaNextVisitSender } from '../../tester/upload/next-visit-sender';
import { PoolCache } from '../../tester/upload/pool-cache';
import type { UploadContext } from '../../tester/upload/upload-group';
import { createTopic, testKafka } from './kafka';
import { uniqueName } from './local-services';
import { emptyBucket, useLocalS3Credentials } from './repos';

export interface TesterFixture {
  readonly kafka: Kafka;
  readonly s3: S3Client;
  readonly rawBucket: S3ObjectBucket;
  readonly usersBucket: S3ObjectBucket;
  readonly topic: string;
  readonly endpoint: string;
  context(
    instrument: InstrumentName,
    kind: 'curated' | 'random',
    raw?: S3ObjectBucket,
  ): Promise<UploadContext>;
  cleanup(): Promise<void>;
}

export async function testerFixture(prefix: string): Promise<TesterFixture> {
  const { endpoint } = useLocalS3Credentials();
  const s3 = s3ClientFor({ endpoint });
  const raw = uniqueName(`it-${prefix}-raw`).toLowerCase();
  const users = uniqueName(`it-${prefix}-users`).toLowerCase();
  for (const bucket of [raw, users]) await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  const kafka = testKafka();
  const topic = await createTopic(kafka, `it-${prefix}-next-visit`);
  const rawBucket = new S3ObjectBucket(s3, raw);
  const usersBucket = new S3ObjectBucket(s3, users);
  const senders: KafkaNextVisitSender[] = [];
  return {
    kafka,
    s3,
    rawBucket,
    usersBucket,
    topic,
    endpoint,
    async context(instrument, kind, rawOverride) {
      const sender = new KafkaNextVisitSender(new KafkaPublisher(kafka), topic);
      senders.push(sender);
      return {
        instrument,
        usersBucket,
        rawBucket: rawOverride ?? rawBucket,
        sender,
        allocator: new GroupIdAllocator(usersBucket, instrument, randomUUID()),
        pool: await PoolCache.open(usersBucket, instrument, kind),
        timings: { slewSeconds: 0, snapSeconds: 0 },
        nowUtcSeconds: () => Date.now() / 1000,
        sleep: async () => {},
      };
    },
    async cleanup() {
      await Promise.all(senders.map((s) => s.close()));
      for (const bucket of [raw, users]) {
        await emptyBucket(s3, bucket);
        await s3.send(new DeleteBucketCommand({ Bucket: bucket }));
      }
      s3.destroy();
    },
  };
}
