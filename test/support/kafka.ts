// Kafka helpers for integration tests: topics created per test (auto-creation is off on purpose),
// and a consumer that collects messages until a condition holds or a deadline passes.
import type { Admin, Consumer, Kafka, KafkaMessage } from 'kafkajs';
import pino from 'pino';
import { createKafka } from '../../service/adapters/kafka/kafka-client';
import { expectListening, kafkaBootstrap, uniqueName } from './local-services';

export const quietLogger = pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });

export function testKafka(bootstrapServers = kafkaBootstrap): Kafka {
  return createKafka({ bootstrapServers, clientId: 'prompt-processing-tests', logger: quietLogger });
}

/** Creates a fresh topic, failing fast with the service named when Kafka is not there. */
export async function createTopic(kafka: Kafka, prefix: string, partitions = 1): Promise<string> {
  await expectListening('Kafka', kafkaBootstrap);
  const topic = uniqueName(prefix);
  const admin: Admin = kafka.admin();
  await admin.connect();
  try {
    const created = await admin.createTopics({
      topics: [{ topic, numPartitions: partitions }],
      waitForLeaders: true,
    });
    if (!created) throw new Error(`topic ${topic} already existed`);
  } finally {
    await admin.disconnect();
  }
  return topic;
}

export interface CollectedMessage {
  readonly key: string | null;
  readonly value: string;
  readonly partition: number;
  readonly offset: string;
}

/**
 * Subscribes from the beginning of the topic and collects messages until `done` returns true for the
 * collection, or rejects after timeoutMs naming the topic and how many messages came.
 */
export class TopicReader {
  readonly messages: CollectedMessage[] = [];
  private constructor(
    private readonly consumer: Consumer,
    readonly topic: string,
  ) {}

  static async start(kafka: Kafka, topic: string): Promise<TopicReader> {
    const consumer = kafka.consumer({ groupId: uniqueName('test-reader'), maxWaitTimeInMs: 100 });
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    const reader = new TopicReader(consumer, topic);
    await consumer.run({
      eachMessage: async ({ message, partition }) => {
        reader.messages.push(toCollected(message, partition));
      },
    });
    return reader;
  }

  async waitFor(
    done: (messages: readonly CollectedMessage[]) => boolean,
    timeoutMs: number,
  ): Promise<readonly CollectedMessage[]> {
    const deadline = Date.now() + timeoutMs;
    while (!done(this.messages)) {
      if (Date.now() > deadline) {
        throw new Error(
          `timed out after ${timeoutMs} ms on topic ${this.topic} with ${this.messages.length} message(s)`,
        );
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    return this.messages;
  }

  async stop(): Promise<void> {
    await this.consumer.disconnect();
  }
}

function toCollected(message: KafkaMessage, partition: number): CollectedMessage {
  return {
    key: message.key ? message.key.toString('utf8') : null,
    value: message.value ? message.value.toString('utf8') : '',
    partition,
    offset: message.offset,
  };
}

/** Sum of the high-water marks of a topic's partitions: how many messages it ever received. */
export async function messageCount(kafka: Kafka, topic: string): Promise<number> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const offsets = await admin.fetchTopicOffsets(topic);
    return offsets.reduce((sum, p) => sum + Number(p.high), 0);
  } finally {
    await admin.disconnect();
  }
}
