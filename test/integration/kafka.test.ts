import type { Kafka } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KafkaPublisher } from '../../service/adapters/kafka/kafka-publisher';
import { createTopic, messageCount, TopicReader, testKafka } from '../support/kafka';

describe('Kafka (local service)', () => {
  let kafka: Kafka;
  let publisher: KafkaPublisher;

  beforeAll(() => {
    kafka = testKafka();
    publisher = new KafkaPublisher(kafka, { publishTimeoutMs: 10_000 });
  });

  afterAll(async () => {
    await publisher.close();
  });

  it('produces to a created topic and consumes the same messages in order', async () => {
    const topic = await createTopic(kafka, 'it-kafka', 1);
    const sent = Array.from({ length: 20 }, (_, i) => ({
      key: `detector-${i % 3}`,
      value: JSON.stringify({ visit: i }),
    }));
    await publisher.publish(topic, sent);
    const reader = await TopicReader.start(kafka, topic);
    try {
      const got = await reader.waitFor((m) => m.length >= sent.length, 15_000);
      expect(got.map((m) => ({ key: m.key, value: m.value }))).toEqual(sent);
      expect(await messageCount(kafka, topic)).toBe(20);
    } finally {
      await reader.stop();
    }
  });

  it('does not create topics on demand (auto-creation is off)', async () => {
    const missing = `it-never-created-${Date.now()}`;
    const small = new KafkaPublisher(kafka, { publishTimeoutMs: 3000 });
    try {
      await expect(small.publish(missing, [{ key: null, value: 'x' }])).rejects.toThrow(
        /did not take 1 message/,
      );
    } finally {
      await small.close();
    }
    const admin = kafka.admin();
    await admin.connect();
    try {
      expect(await admin.listTopics()).not.toContain(missing);
    } finally {
      await admin.disconnect();
    }
  });
});
