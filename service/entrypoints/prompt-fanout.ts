// Entry point of `prompt-fanout`: consumes next_visit for one instrument and POSTs one CloudEvent per
// detector to that instrument's prompt service; /metrics and /healthz on METRICS_PORT.
// Exit code 3 means the configuration or Kafka is unusable; the one-line reason is on stderr.
import Fastify from 'fastify';
import pino from 'pino';
import { Agent } from 'undici';
import { createKafka } from '../adapters/kafka/kafka-client';
import { ConfigError } from '../config/config-error';
import { parseFanOutConfig } from '../config/fanout-config';
import { startFanOutConsumer } from '../fan-out/fan-out-consumer';
import { FanOutMetrics } from '../fan-out/fan-out-metrics';
import { NextVisitFanOut } from '../fan-out/next-visit-fan-out';
import { VisitPoster } from '../fan-out/visit-poster';
import { systemClock } from '../ports/visit-processor';

async function main(): Promise<void> {
  const config = parseFanOutConfig(process.env);
  const logger = pino({
    level: config.LOG_LEVEL,
    base: { component: 'prompt-fanout', instrument: config.RUBIN_INSTRUMENT },
  });
  const shutdown = new AbortController();
  const metrics = new FanOutMetrics();
  // The service answers only when the visit is done: no request or body timeout on our side.
  const dispatcher = new Agent({ headersTimeout: 0, bodyTimeout: 0, keepAliveTimeout: 60_000 });
  const fanOut = new NextVisitFanOut({
    rules: { instrument: config.RUBIN_INSTRUMENT, messageExpirationSeconds: config.MESSAGE_EXPIRATION },
    sender: new VisitPoster({
      serviceUrl: config.SERVICE_URL,
      source: config.NEXT_VISIT_TOPIC,
      retryOn503: config.RETRY_KNATIVE_REQUESTS,
      dispatcher,
    }),
    maxInFlight: config.MAX_FAN_OUT_MESSAGES,
    metrics,
    log: logger,
    clock: systemClock,
  });
  const kafka = createKafka({
    bootstrapServers: config.KAFKA_CLUSTER,
    clientId: 'prompt-fanout',
    logger,
    ...(config.KAFKA_USERNAME && config.KAFKA_PASSWORD
      ? { scram: { username: config.KAFKA_USERNAME, password: config.KAFKA_PASSWORD } }
      : {}),
  });
  let consumer: Awaited<ReturnType<typeof startFanOutConsumer>>;
  try {
    consumer = await startFanOutConsumer({
      kafka,
      topic: config.NEXT_VISIT_TOPIC,
      groupId: config.KAFKA_CONSUMER_GROUP,
      fanOut,
      signal: shutdown.signal,
    });
  } catch (error) {
    throw new ConfigError(
      `cannot consume ${config.NEXT_VISIT_TOPIC} from ${config.KAFKA_CLUSTER}: ${(error as Error).message}`,
    );
  }
  const server = Fastify({ loggerInstance: logger });
  server.get('/healthz', async () => ({ status: 'ok' }));
  server.get('/metrics', async (_request, reply) =>
    reply.header('content-type', metrics.registry.contentType).send(await metrics.registry.metrics()),
  );
  await server.listen({ host: config.METRICS_HOST, port: config.METRICS_PORT });
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      logger.info({ signal }, 'stopping');
      shutdown.abort();
      void Promise.allSettled([consumer.disconnect(), server.close(), dispatcher.close()]).then(() =>
        process.exit(0),
      );
    });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`prompt-fanout: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(error instanceof ConfigError ? 3 : 1);
});
