// The path raws take in production: an object written to the bucket, an S3 event notification
// pushed by Ceph RGW, and the record on the Kafka topic the service reads. Here RGW pushes over HTTP
// to the bridge (Debian's RGW has no kafka:// endpoint), with a persistent topic as in production.
import {
  CreateBucketCommand,
  DeleteBucketCommand,
  DeleteObjectCommand,
  PutBucketNotificationConfigurationCommand,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { CreateTopicCommand, DeleteTopicCommand, type SNSClient } from '@aws-sdk/client-sns';
import type { Kafka } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseS3EventNotification } from '../../service/domain/s3-event-notification';
import { type RunningBridge, startBridge } from '../support/bridge';
import { createTopic, TopicReader, testKafka } from '../support/kafka';
import { uniqueName } from '../support/local-services';
import { testS3, testSns } from '../support/s3';

describe('bucket notifications: RGW → bridge → Kafka', () => {
  let kafka: Kafka;
  let s3: S3Client;
  let sns: SNSClient;
  let bridge: RunningBridge;
  let kafkaTopic: string;
  let topicArn: string | undefined;
  const bucket = uniqueName('it-raw');
  const keys: string[] = [];

  beforeAll(async () => {
    kafka = testKafka();
    s3 = testS3();
    sns = testSns();
    kafkaTopic = await createTopic(kafka, 'it-notifications');
    bridge = await startBridge(kafka, kafkaTopic);
    const created = await sns.send(
      new CreateTopicCommand({
        Name: uniqueName('it-raw-topic'),
        Attributes: { 'push-endpoint': `${bridge.url}/s3-events`, persistent: 'true' },
      }),
    );
    topicArn = created.TopicArn;
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    await s3.send(
      new PutBucketNotificationConfigurationCommand({
        Bucket: bucket,
        NotificationConfiguration: {
          TopicConfigurations: [{ Id: 'raw-created', TopicArn: topicArn, Events: ['s3:ObjectCreated:*'] }],
        },
      }),
    );
  });

  afterAll(async () => {
    for (const key of keys) await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }));
    await s3.send(
      new PutBucketNotificationConfigurationCommand({ Bucket: bucket, NotificationConfiguration: {} }),
    );
    await s3.send(new DeleteBucketCommand({ Bucket: bucket }));
    if (topicArn) await sns.send(new DeleteTopicCommand({ TopicArn: topicArn }));
    await bridge?.close();
    s3.destroy();
    sns.destroy();
  });

  it('delivers the S3 event of a PUT to the Kafka topic within 15 s', async () => {
    const key = 'LATISS/20261128/AT_O_20261128_000042/AT_O_20261128_000042_R00_S00.fits';
    const reader = await TopicReader.start(kafka, kafkaTopic);
    try {
      const putAt = Date.now();
      await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: Buffer.alloc(2880) }));
      keys.push(key);
      const [message] = await reader.waitFor((m) => m.length >= 1, 15_000);
      const latencyMs = Date.now() - putAt;
      expect(message?.key).toBe(key);
      const { records } = parseS3EventNotification(JSON.parse(message?.value ?? ''));
      expect(records).toHaveLength(1);
      expect(records[0]?.eventName).toBe('ObjectCreated:Put');
      expect(records[0]?.s3.bucket.name).toBe(bucket);
      expect(records[0]?.s3.object.key).toBe(key);
      expect(records[0]?.s3.object.size).toBe(2880);
      console.info(`bucket notification PUT → Kafka latency: ${latencyMs} ms`);
    } finally {
      await reader.stop();
    }
  });
});
