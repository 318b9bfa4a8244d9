// Builds kafkajs clients for this project: brokers from KAFKA_CLUSTER, kafkajs' own logging routed
// into pino, and retry/timeout settings that give up in seconds rather than minutes, so a broker that
// is gone turns into a clear error quickly instead of a hang.
import { Kafka, type KafkaConfig, logLevel } from 'kafkajs';
import type { Logger } from 'pino';

export interface KafkaClientOptions {
  /** Comma-separated host:port list, as in KAFKA_CLUSTER. */
  readonly bootstrapServers: string;
  readonly clientId: string;
  readonly logger: Logger;
  /** @default 3000 */
  readonly connectionTimeoutMs?: number;
  /** @default 10000 */
  readonly requestTimeoutMs?: number;
  /** Retries of one request after the first try. @default 2 */
  readonly retries?: number;
  /** SCRAM-SHA-512 credentials, as Strimzi's KafkaUsers use. @default - no authentication */
  readonly scram?: { readonly username: string; readonly password: string };
}

export function parseBootstrapServers(value: string): string[] {
  const brokers = value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
  for (const broker of brokers) {
    if (!/^[^\s:]+:\d{1,5}$/.test(broker)) {
      throw new Error(`kafka bootstrap server "${broker}" is not host:port (e.g. 127.0.0.1:9092)`);
    }
  }
  if (brokers.length === 0)
    throw new Error('no kafka bootstrap server given: set KAFKA_CLUSTER to host:port');
  return brokers;
}

export function createKafka(options: KafkaClientOptions): Kafka {
  const log = options.logger.child({ logger: 'kafkajs' });
  const config: KafkaConfig = {
    clientId: options.clientId,
    brokers: parseBootstrapServers(options.bootstrapServers),
    connectionTimeout: options.connectionTimeoutMs ?? 3000,
    requestTimeout: options.requestTimeoutMs ?? 10_000,
    retry: { retries: options.retries ?? 2, initialRetryTime: 200, maxRetryTime: 2000 },
    ...(options.scram ? { sasl: { mechanism: 'scram-sha-512', ...options.scram } } : {}),
    logLevel: logLevel.WARN,
    logCreator:
      () =>
      ({ level, log: entry }) => {
        const { message, ...rest } = entry;
        if (level <= logLevel.ERROR) log.error(rest, message);
        else if (level === logLevel.WARN) log.warn(rest, message);
        else log.debug(rest, message);
      },
  };
  return new Kafka(config);
}
