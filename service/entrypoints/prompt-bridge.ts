// Entry point of `prompt-bridge`: reads the environment, wires Kafka and the HTTP app, and listens.
// Exit code 3 means the configuration is unusable; the one-line reason is on stderr.
import pino from 'pino';
import { createKafka } from '../adapters/kafka/kafka-client';
import { KafkaPublisher } from '../adapters/kafka/kafka-publisher';
import { parseBridgeConfig } from '../config/bridge-config';
import { ConfigError } from '../config/config-error';
import { buildBridgeApp } from '../notification-bridge/bridge-app';

async function main(): Promise<void> {
  const config = parseBridgeConfig(process.env);
  const logger = pino({ level: config.LOG_LEVEL, base: { component: 'prompt-bridge' } });
  const kafka = createKafka({
    bootstrapServers: config.KAFKA_CLUSTER,
    clientId: 'prompt-bridge',
    logger,
    ...(config.KAFKA_USERNAME && config.KAFKA_PASSWORD
      ? { scram: { username: config.KAFKA_USERNAME, password: config.KAFKA_PASSWORD } }
      : {}),
  });
  const publisher = new KafkaPublisher(kafka, { publishTimeoutMs: config.BRIDGE_PUBLISH_TIMEOUT_MS });
  const app = buildBridgeApp({
    publisher,
    topic: config.BUCKET_TOPIC,
    logger,
    bodyLimitBytes: config.BRIDGE_BODY_LIMIT_BYTES,
  });
  app.addHook('onClose', () => publisher.close());
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      logger.info({ signal }, 'stopping');
      void app.close().then(() => process.exit(0));
    });
  }
  await app.listen({ host: config.BRIDGE_HOST, port: config.BRIDGE_PORT });
}

main().catch((error: unknown) => {
  const reason = error instanceof Error ? error.message : String(error);
  process.stderr.write(`prompt-bridge: ${reason}\n`);
  process.exit(error instanceof ConfigError ? 3 : 1);
});
