// The path raws take in production: an object written to the bucket, an S3 event notification
// pushed by Ceph RGW, and the record on the Kafka topic the service reads. Here RGW pushes over HTTP
// to the bridge (Debian's RGW has no kafka:// endpoint), through a synchronous topic and through a
// persistent one (queued and retried by RGW, as production should be configured).
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
import { parseS3EventNotification, type S3EventRecord } from '../../service/domain/s3-event-notification';
import { type RunningBridge, startBridge } from '../support/bridge';
import { type CollectedMessage, createTopic, TopicReader, testKafka } from '../support/kafka';
import { uniqueName } from '../support/local-services';
import { testS3, testSns } from '../support/s3';

/** Radosgw 16.2 looks for new persistent queues every 30 s, so a new topic's first event may wait that long. */
const FIRST_PERSISTENT_EVENT_MS = 45_000;

describe('bucket notifications: RGW → bridge → Kafka', () => {
  let kafka: Kafka;
  let s3: S3Client;
  let sns: SNSClient;
  let bridge: RunningBridge;
  let reader: TopicReader;
  const topicArns: string[] = [];
  const written: Array<{ bucket: string; key: string }> = [];
  const syncBucket = uniqueName('it-raw-sync');
  const persistentBucket = uniqueName('it-raw-persistent');

  async function notifyTo(bucket: string, persistent: boolean): Promise<void> {
    const { TopicArn } = await sns.send(
      new CreateTopicCommand({
        Name: uniqueName(persistent ? 'it-persistent' : 'it-sync'),
        Attributes: { 'push-endpoint': `${bridge.url}/s3-events`, persistent: String(persistent) },
      }),
    );
    if (!TopicArn) throw new Error('RGW returned no topic ARN');
    topicArns.push(TopicArn);
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    await s3.send(
      new PutBucketNotificationConfigurationCommand({
        Bucket: bucket,
        NotificationConfiguration: {
          TopicConfigurations: [{ Id: 'raw-created', TopicArn, Events: ['s3:ObjectCreated:*'] }],
        },
      }),
    );
  }

  async function putRaw(bucket: string, key: string, bytes: number): Promise<number> {
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: Buffer.alloc(bytes) }));
    written.push({ bucket, key });
    return Date.now();
  }

  function recordFor(bucket: string, key: string) {
    return (messages: readonly CollectedMessage[]): S3EventRecord | undefined => {
      for (const message of messages) {
        const record = parseS3EventNotification(JSON.parse(message.value)).records[0];
        if (message.key === key && record?.s3.bucket.name === bucket) return record;
      }
      return undefined;
    };
  }

  async function waitForRecord(bucket: string, key: string, timeoutMs: number): Promise<S3EventRecord> {
    const find = recordFor(bucket, key);
    const messages = await reader.waitFor((m) => find(m) !== undefined, timeoutMs);
    const record = find(messages);
    if (!record) throw new Error(`no record for ${bucket}/${key}`);
    return record;
  }

  beforeAll(async () => {
    kafka = testKafka();
    s3 = testS3();
    sns = testSns();
    const kafkaTopic = await createTopic(kafka, 'it-notifications');
    bridge = await startBridge(kafka, kafkaTopic);
    reader = await TopicReader.start(kafka, kafkaTopic);
    // the persistent topic first: RGW's queue scan clock starts running while the other test works
    await notifyTo(persistentBucket, true);
    await notifyTo(syncBucket, false);
  });

  afterAll(async () => {
    for (const { bucket, key } of written)
      await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }));
    // deleting a bucket also removes its notification configuration
    for (const bucket of [syncBucket, persistentBucket])
      await s3.send(new DeleteBucketCommand({ Bucket: bucket }));
    for (const TopicArn of topicArns) await sns.send(new DeleteTopicCommand({ TopicArn }));
    await reader?.stop();
    await bridge?.close();
    s3.destroy();
    sns.destroy();
  });

  it('delivers the S3 event of a PUT to the Kafka topic within 15 s', async () => {
    const key = 'LATISS/20261128/AT_O_20261128_000042/AT_O_20261128_000042_R00_S00.fits';
    const putAt = await putRaw(syncBucket, key, 2880);
    const record = await waitForRecord(syncBucket, key, 15_000);
    expect(record.eventName).toBe('ObjectCreated:Put');
    expect(record.eventSource).toBe('ceph:s3');
    expect(record.s3.object.size).toBe(2880);
    console.info(`synchronous topic: PUT → Kafka in ${Date.now() - putAt} ms`);
  });

  it('delivers through a persistent topic, then within 15 s per PUT', async () => {
    const first = 'HSC/42/2026112800001/0/404/HSC-I/HSC-2026112800001-0-404-HSC-I-42.fz';
    const firstAt = await putRaw(persistentBucket, first, 5760);
    expect((await waitForRecord(persistentBucket, first, FIRST_PERSISTENT_EVENT_MS)).s3.object.size).toBe(
      5760,
    );
    console.info(`persistent topic, first event (queue discovery): ${Date.now() - firstAt} ms`);

    const second = 'HSC/42/2026112800001/1/405/HSC-I/HSC-2026112800001-1-405-HSC-I-42.fz';
    const secondAt = await putRaw(persistentBucket, second, 2880);
    const record = await waitForRecord(persistentBucket, second, 15_000);
    expect(record.eventName).toBe('ObjectCreated:Put');
    console.info(`persistent topic, next event: PUT → Kafka in ${Date.now() - secondAt} ms`);
  }, 90_000);
});
