// Runs the real notification bridge in the test process, listening on an ephemeral loopback port.
import type { FastifyInstance } from 'fastify';
import type { Kafka } from 'kafkajs';
import { KafkaPublisher } from '../../service/adapters/kafka/kafka-publisher';
import { buildBridgeApp } from '../../service/notification-bridge/bridge-app';
import { quietLogger } from './kafka';

export interface RunningBridge {
  readonly app: FastifyInstance;
  /** Base URL, e.g. http://127.0.0.1:41234 */
  readonly url: string;
  close(): Promise<void>;
}

export async function startBridge(
  kafka: Kafka,
  topic: string,
  options: { publishTimeoutMs?: number; bodyLimitBytes?: number } = {},
): Promise<RunningBridge> {
  const publisher = new KafkaPublisher(kafka, { publishTimeoutMs: options.publishTimeoutMs ?? 10_000 });
  const app = buildBridgeApp({
    publisher,
    topic,
    logger: quietLogger,
    bodyLimitBytes: options.bodyLimitBytes,
    retryAfterSeconds: 2,
  });
  app.addHook('onClose', () => publisher.close());
  const address = await app.listen({ host: '127.0.0.1', port: 0 });
  return { app, url: address, close: () => app.close() };
}
