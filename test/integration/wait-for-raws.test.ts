// Waiting for a detector's snaps against the real path: raws PUT into Ceph RGW, RGW's notification
// through the bridge onto Kafka, the service's notification consumer, and S3 listing for raws that
// were there before the wait began.
import {
  CreateBucketCommand,
  DeleteBucketCommand,
  DeleteObjectCommand,
  PutBucketNotificationConfigurationCommand,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { CreateTopicCommand, DeleteTopicCommand, type SNSClient } from '@aws-sdk/client-sns';
import type { Consumer, Kafka } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RawArrivals } from '../../service/activator/raw-arrivals';
import { startRawNotificationConsumer } from '../../service/activator/raw-notification-consumer';
import type { ExpectedSnaps } from '../../service/activator/snap-matcher';
import { ImagesTimedOutError, waitForRaws } from '../../service/activator/wait-for-raws';
import { S3RawBucket } from '../../service/adapters/s3/s3-raw-bucket';
import { lsstRawKeyOf, otherRawKeyOf, sidecarKeyOf } from '../../service/domain/raw-keys';
import { type RunningBridge, startBridge } from '../support/bridge';
import { createTopic, quietLogger, testKafka } from '../support/kafka';
import { uniqueName } from '../support/local-services';
import { testS3, testSns } from '../support/s3';

describe('waiting for raws: RGW → notification → Kafka → service', () => {
  let kafka: Kafka;
  let s3: S3Client;
  let sns: SNSClient;
  let bridge: RunningBridge;
  let consumer: Consumer;
  let topicArn: string | undefined;
  const arrivals = new RawArrivals();
  const bucket = uniqueName('it-wait-raws');
  const written: string[] = [];
  const never = new AbortController().signal;

  async function put(key: string, body: string | Buffer = Buffer.alloc(2880)): Promise<void> {
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body }));
    written.push(key);
  }

  function options(expected: ExpectedSnaps, durationSeconds: number, imageTimeoutSeconds: number) {
    return {
      expected,
      durationSeconds,
      imageTimeoutSeconds,
      bucket: new S3RawBucket(s3, bucket),
      arrivals,
      log: quietLogger,
      signal: never,
      sidecarRetryMs: 50,
    };
  }

  beforeAll(async () => {
    kafka = testKafka();
    s3 = testS3();
    sns = testSns();
    const topic = await createTopic(kafka, 'it-raw-notifications');
    bridge = await startBridge(kafka, topic);
    consumer = await startRawNotificationConsumer({ kafka, topic, arrivals, log: quietLogger });
    const created = await sns.send(
      new CreateTopicCommand({
        Name: uniqueName('it-wait'),
        Attributes: { 'push-endpoint': `${bridge.url}/s3-events` },
      }),
    );
    topicArn = created.TopicArn;
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    await s3.send(
      new PutBucketNotificationConfigurationCommand({
        Bucket: bucket,
        NotificationConfiguration: {
          TopicConfigurations: [{ Id: 'raws', TopicArn: topicArn, Events: ['s3:ObjectCreated:*'] }],
        },
      }),
    );
  });

  afterAll(async () => {
    for (const key of written) await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }));
    await s3.send(new DeleteBucketCommand({ Bucket: bucket }));
    if (topicArn) await sns.send(new DeleteTopicCommand({ TopicArn: topicArn }));
    await consumer?.disconnect();
    await bridge?.close();
    s3.destroy();
    sns.destroy();
  });

  it('finds an HSC snap already in the bucket and one that arrives while waiting, ignoring strangers', async () => {
    const group = String(10_000_000 + Math.floor(Math.random() * 89_999_999));
    const expected = { instrument: 'HSC', detector: 50, group, nimages: 2 };
    const key = (snap: number, exposureId: string, detector = 50) =>
      otherRawKeyOf({ instrument: 'HSC', detector, group, snap, exposureId, filter: 'HSC_I' });
    await put(key(0, '59150'));
    const waiting = waitForRaws(options(expected, 5, 5));
    await new Promise((r) => setTimeout(r, 300));
    await put(key(1, '59151', 51)); // another detector
    await put(key(0, '59150')); // the same snap again
    await put(key(1, '59152'));
    const raws = await waiting;
    expect(raws.map((r) => r.exposureId)).toEqual([59150, 59152]);
  });

  it('matches an LATISS raw by the GROUPID in its sidecar', async () => {
    const group = `2026-11-28T${uniqueName('g').slice(-8)}`;
    const expected = { instrument: 'LATISS', detector: 0, group, nimages: 1 };
    const seqNum = 1 + Math.floor(Math.random() * 99_000);
    const raw = lsstRawKeyOf({
      instrument: 'LATISS',
      dayObs: 20261128,
      controller: 'O',
      seqNum,
      raftSensor: 'R00_S00',
    });
    const waiting = waitForRaws(options(expected, 5, 5));
    await new Promise((r) => setTimeout(r, 200));
    // a raw of another group first, then ours, each sidecar just before its image (as the camera writes)
    const otherSeq = seqNum + 1;
    const other = lsstRawKeyOf({
      instrument: 'LATISS',
      dayObs: 20261128,
      controller: 'O',
      seqNum: otherSeq,
      raftSensor: 'R00_S00',
    });
    await put(sidecarKeyOf(other), JSON.stringify({ GROUPID: 'someone-else' }));
    await put(other);
    await put(sidecarKeyOf(raw), JSON.stringify({ GROUPID: group }));
    await put(raw);
    const raws = await waiting;
    expect(raws.map((r) => r.key)).toEqual([raw]);
    expect(raws[0]?.exposureId).toBe(20261128_00000 + seqNum);
  });

  it('fails with "Timed out waiting for images." after duration·2 + IMAGE_TIMEOUT when none come', async () => {
    const expected = { instrument: 'HSC', detector: 7, group: '99999999', nimages: 1 };
    const started = Date.now();
    await expect(waitForRaws(options(expected, 0.5, 1))).rejects.toThrow(ImagesTimedOutError);
    const seconds = (Date.now() - started) / 1000;
    expect(seconds).toBeGreaterThanOrEqual(1.9);
    expect(seconds).toBeLessThan(6);
  });

  it('stops waiting as soon as the worker is aborted', async () => {
    const controller = new AbortController();
    const expected = { instrument: 'HSC', detector: 8, group: '99999998', nimages: 1 };
    const waiting = waitForRaws({ ...options(expected, 60, 60), signal: controller.signal });
    setTimeout(() => controller.abort(new Error('WORKER_TIMEOUT reached')), 200);
    await expect(waiting).rejects.toThrow('WORKER_TIMEOUT reached');
  });
});
