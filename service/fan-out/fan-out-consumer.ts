// Feeds the fan-out from Kafka: one consumer in the fan-out's own group, reading the next-visit topic
// from its newest messages (a visit missed while the fan-out was down is stale anyway).
import { setMaxListeners } from 'node:events';
import type { Consumer, Kafka } from 'kafkajs';
import type { NextVisitFanOut } from './next-visit-fan-out';

export interface FanOutConsumerOptions {
  readonly kafka: Kafka;
  readonly topic: string;
  readonly groupId: string;
  readonly fanOut: NextVisitFanOut;
  readonly signal: AbortSignal;
}

export async function startFanOutConsumer(options: FanOutConsumerOptions): Promise<Consumer> {
  // every POST in flight listens to the shutdown signal: thousands at once are expected
  setMaxListeners(0, options.signal);
  const consumer = options.kafka.consumer({ groupId: options.groupId, maxWaitTimeInMs: 100 });
  await consumer.connect();
  await consumer.subscribe({ topic: options.topic, fromBeginning: false });
  await consumer.run({
    eachMessage: async ({ message }) => {
      // Dispatch without awaiting the answers: the service holds each request for the whole visit.
      options.fanOut.handle(message.value?.toString('utf8') ?? '', options.signal);
    },
  });
  return consumer;
}
