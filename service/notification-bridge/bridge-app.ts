// The bucket-notification bridge: an HTTP endpoint for object stores that can only push S3 event
// notifications over HTTP (Debian's Ceph RGW, MinIO, AWS via SNS), producing each record to the
// Kafka topic the prompt service reads, as USDF's RGW does natively. Delivery is at least once: the
// answer is 2xx only after Kafka acknowledged every record, 5xx otherwise so the store retries.
import Fastify, { type FastifyBaseLogger, type FastifyError, type FastifyInstance } from 'fastify';
import { Counter, Registry } from 'prom-client';
import { BRIDGE_NOTIFICATION_PATH } from '../config/bridge-config';
import {
  NotificationFormatError,
  objectKeyOf,
  parseJson,
  parseS3EventNotification,
} from '../domain/s3-event-notification';
import { type EventPublisher, PublishError } from '../ports/event-publisher';

export interface BridgeAppOptions {
  readonly publisher: EventPublisher;
  /** Kafka topic for the records. */
  readonly topic: string;
  readonly logger: FastifyBaseLogger;
  /** @default 1048576 */
  readonly bodyLimitBytes?: number;
  /** Seconds a store should wait before retrying after a 503. @default 5 */
  readonly retryAfterSeconds?: number;
  /** @default - a registry of its own */
  readonly metricsRegistry?: Registry;
}

/** Paths a store may push to: RGW's push-endpoint URL names one of them. */
export const NOTIFICATION_PATHS = ['/', BRIDGE_NOTIFICATION_PATH] as const;

export function buildBridgeApp(options: BridgeAppOptions): FastifyInstance {
  const app = Fastify({
    loggerInstance: options.logger,
    bodyLimit: options.bodyLimitBytes ?? 1_048_576,
  });
  const registry = options.metricsRegistry ?? new Registry();
  const records = new Counter({
    name: 'bridge_records_total',
    help: 'S3 event records received, by outcome (produced, rejected, failed)',
    labelNames: ['outcome'] as const,
    registers: [registry],
  });
  const retryAfter = String(options.retryAfterSeconds ?? 5);

  // AWS SNS posts its envelope as text/plain.
  app.addContentTypeParser('text/plain', { parseAs: 'string' }, (_request, body, done) => {
    try {
      done(null, parseJson(String(body), 'request body'));
    } catch (error) {
      done(error as Error, undefined);
    }
  });

  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (error instanceof NotificationFormatError) {
      records.inc({ outcome: 'rejected' });
      request.log.warn({ reason: error.message }, 'rejected notification');
      return reply.code(400).send({ error: 'Bad Request', message: error.message });
    }
    if (error instanceof PublishError) {
      request.log.error({ err: error }, 'kafka did not acknowledge; asking the store to retry');
      return reply
        .code(503)
        .header('retry-after', retryAfter)
        .send({ error: 'Service Unavailable', message: error.message });
    }
    const status = error.statusCode ?? 500;
    if (status >= 500) request.log.error({ err: error }, 'bridge failure');
    return reply
      .code(status)
      .send({ error: status >= 500 ? 'Internal Server Error' : 'Bad Request', message: error.message });
  });

  for (const path of NOTIFICATION_PATHS) {
    app.post(path, async (request, reply) => {
      const notification = parseS3EventNotification(request.body);
      if (notification.isTestEvent) {
        return reply.code(200).send({ produced: 0, topic: options.topic, note: 'test event ignored' });
      }
      const messages = notification.records.map((record) => ({
        key: objectKeyOf(record),
        value: JSON.stringify({ Records: [record] }),
      }));
      try {
        await options.publisher.publish(options.topic, messages);
      } catch (error) {
        records.inc({ outcome: 'failed' }, messages.length);
        throw error;
      }
      records.inc({ outcome: 'produced' }, messages.length);
      request.log.info({ topic: options.topic, keys: messages.map((m) => m.key) }, 'notification produced');
      return reply.code(200).send({ produced: messages.length, topic: options.topic });
    });
  }

  app.get('/healthz', async () => ({ status: 'ok' }));
  app.get('/metrics', async (_request, reply) => {
    return reply.header('content-type', registry.contentType).send(await registry.metrics());
  });
  return app;
}
