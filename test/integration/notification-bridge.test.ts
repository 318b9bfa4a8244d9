import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Kafka } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningBridge, startBridge } from '../support/bridge';
import { createTopic, messageCount, TopicReader, testKafka } from '../support/kafka';
import { sharedDir } from '../support/local-services';

const samples = JSON.parse(
  readFileSync(join(sharedDir, 'reference', 'rgw-event-sample.json'), 'utf8'),
) as Record<string, { Records: Array<Record<string, unknown>> }>;

function post(url: string, body: string, contentType = 'application/json'): Promise<Response> {
  return fetch(url, { method: 'POST', headers: { 'content-type': contentType }, body });
}

describe('notification bridge against real Kafka', () => {
  let kafka: Kafka;
  let topic: string;
  let bridge: RunningBridge;

  beforeAll(async () => {
    kafka = testKafka();
    topic = await createTopic(kafka, 'it-bridge');
    bridge = await startBridge(kafka, topic, { bodyLimitBytes: 64 * 1024 });
  });

  afterAll(async () => {
    await bridge?.close();
  });

  it('produces each record of an RGW POST to the topic, keyed by object key, after the ack', async () => {
    const twoRecords = { Records: [...(samples.put?.Records ?? []), ...(samples.copy?.Records ?? [])] };
    const before = await messageCount(kafka, topic);
    const response = await post(`${bridge.url}/s3-events`, JSON.stringify(twoRecords));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ produced: 2, topic });
    // 200 came after the ack: the messages are already in the log
    expect(await messageCount(kafka, topic)).toBe(before + 2);

    const reader = await TopicReader.start(kafka, topic);
    try {
      const got = await reader.waitFor((m) => m.length >= before + 2, 10_000);
      const mine = got.slice(before);
      expect(mine.map((m) => m.key)).toEqual(['in/obj1.txt', 'in/copy.txt']);
      expect(JSON.parse(mine[0]?.value ?? '')).toEqual({ Records: [samples.put?.Records[0]] });
    } finally {
      await reader.stop();
    }
  });

  it('takes an SNS envelope posted as text/plain on the root path', async () => {
    const envelope = { Type: 'Notification', Message: JSON.stringify(samples.put) };
    const response = await post(`${bridge.url}/`, JSON.stringify(envelope), 'text/plain; charset=UTF-8');
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ produced: 1 });
  });

  it('answers a store test event with 200 and produces nothing', async () => {
    const before = await messageCount(kafka, topic);
    const response = await post(bridge.url, JSON.stringify({ Service: 'Amazon S3', Event: 's3:TestEvent' }));
    expect(response.status).toBe(200);
    expect(await messageCount(kafka, topic)).toBe(before);
  });

  it.each([
    ['malformed JSON', '{"Records": [', 'application/json', 400, /JSON/i],
    ['malformed JSON as text/plain', '{nope', 'text/plain', 400, /request body is not valid JSON/],
    ['no Records array', JSON.stringify({ hello: 'world' }), 'application/json', 400, /"Records" array/],
    [
      'a record without key',
      JSON.stringify({
        Records: [{ eventName: 'ObjectCreated:Put', s3: { bucket: { name: 'b' }, object: {} } }],
      }),
      'application/json',
      400,
      /s3\.object\.key/,
    ],
    [
      'an oversized body',
      JSON.stringify({ Records: [], pad: 'x'.repeat(70 * 1024) }),
      'application/json',
      413,
      /too large/i,
    ],
    ['an unsupported media type', 'Records', 'application/xml', 415, /unsupported media type/i],
  ])('fails on %s with %i and produces nothing', async (_what, body, type, status, reason) => {
    const before = await messageCount(kafka, topic);
    const response = await post(`${bridge.url}/s3-events`, body, type);
    expect(response.status).toBe(status);
    const answer = (await response.json()) as { message: string };
    expect(answer.message).toMatch(reason);
    expect(await messageCount(kafka, topic)).toBe(before);
  });

  it('fails with 503 and Retry-After, quickly, when Kafka does not acknowledge', async () => {
    const deadKafka = testKafka('127.0.0.1:1');
    const cutOff = await startBridge(deadKafka, topic, { publishTimeoutMs: 3000 });
    try {
      const started = Date.now();
      const response = await post(`${cutOff.url}/s3-events`, JSON.stringify(samples.put));
      expect(response.status).toBe(503);
      expect(response.headers.get('retry-after')).toBe('2');
      expect(((await response.json()) as { message: string }).message).toMatch(
        /kafka did not take 1 message/,
      );
      expect(Date.now() - started).toBeLessThan(8000);
    } finally {
      await cutOff.close();
    }
  });

  it('fails with 503 when the topic does not exist, so the store retries', async () => {
    const lost = await startBridge(kafka, `it-bridge-missing-${Date.now()}`, { publishTimeoutMs: 3000 });
    try {
      const response = await post(`${lost.url}/s3-events`, JSON.stringify(samples.put));
      expect(response.status).toBe(503);
    } finally {
      await lost.close();
    }
  });

  it('counts outcomes in /metrics', async () => {
    const response = await fetch(`${bridge.url}/metrics`);
    const text = await response.text();
    expect(text).toMatch(/bridge_records_total\{outcome="produced"\} [1-9]/);
    expect(text).toMatch(/bridge_records_total\{outcome="rejected"\} [1-9]/);
  });
});
