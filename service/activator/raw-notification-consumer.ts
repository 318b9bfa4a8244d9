// Feeds RawArrivals from the bucket-notification topic (BUCKET_TOPIC): one consumer per process in a
// group of its own, starting at the newest offset, as upstream's. Malformed records are logged and
// skipped; only object-created events count.
import { randomUUID } from 'node:crypto';
import type { FastifyBaseLogger } from 'fastify';
import type { Consumer, Kafka } from 'kafkajs';
import { isObjectCreated, objectKeyOf, parseS3EventNotification } from '../domain/s3-event-notification';
import type { RawArrivals } from './raw-arrivals';

export interface RawNotificationConsumerOptions {
  readonly kafka: Kafka;
  readonly topic: string;
  readonly arrivals: RawArrivals;
  readonly log: FastifyBaseLogger;
  /** How long to wait for the group to be joined before giving up. @default 30000 */
  readonly joinTimeoutMs?: number;
}

/**
 * Adds the keys of the objects one notification announces as created; a message that is not a
 * notification is logged and skipped (the Kafka consumer and the in-process bus both use this).
 */
export function recordRawNotification(
  text: string,
  arrivals: RawArrivals,
  log: Pick<FastifyBaseLogger, 'warn'>,
  where: Record<string, unknown> = {},
): void {
  try {
    for (const record of parseS3EventNotification(JSON.parse(text)).records) {
      if (isObjectCreated(record)) arrivals.add(objectKeyOf(record));
    }
  } catch (error) {
    log.warn({ err: error, ...where }, 'skipping a bucket notification we cannot read');
  }
}

/** Resolves once the consumer has its partitions, so every later notification is seen. */
export async function startRawNotificationConsumer(
  options: RawNotificationConsumerOptions,
): Promise<Consumer> {
  const consumer = options.kafka.consumer({
    groupId: `prompt-service-${randomUUID()}`,
    maxWaitTimeInMs: 100,
  });
  await consumer.connect();
  try {
    await consumer.subscribe({ topic: options.topic, fromBeginning: false });
    const joined = new Promise<void>((resolve) => {
      const off = consumer.on(consumer.events.GROUP_JOIN, () => {
        off();
        resolve();
      });
    });
    await consumer.run({
      eachMessage: async ({ message }) => {
        recordRawNotification(message.value?.toString('utf8') ?? '', options.arrivals, options.log, {
          offset: message.offset,
        });
      },
    });
    const timeoutMs = options.joinTimeoutMs ?? 30_000;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      joined,
      new Promise<never>((_resolve, reject) => {
        timer = setTimeout(
          () => reject(new Error(`no partitions of ${options.topic} assigned within ${timeoutMs} ms`)),
          timeoutMs,
        );
      }),
    ]).finally(() => clearTimeout(timer));
    return consumer;
  } catch (error) {
    await consumer.disconnect().catch(() => undefined);
    throw error;
  }
}
