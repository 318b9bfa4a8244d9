// Configuration of the bucket-notification bridge, read from the environment once at start.
// Names follow the service's where they mean the same thing (KAFKA_CLUSTER, BUCKET_TOPIC).
import { z } from 'zod';

export const bridgeConfigSchema = z.object({
  KAFKA_CLUSTER: z
    .string({ error: 'KAFKA_CLUSTER is required: the Kafka bootstrap servers, host:port[,host:port]' })
    .min(1, 'KAFKA_CLUSTER is empty: give the Kafka bootstrap servers, host:port[,host:port]')
    .describe('Kafka bootstrap servers that receive the notifications'),
  BUCKET_TOPIC: z
    .string()
    .min(1)
    .default('rubin-prompt-processing')
    .describe('Kafka topic the S3 event records are produced to (one message per record, key = object key)'),
  BRIDGE_HOST: z.string().min(1).default('127.0.0.1').describe('Address to listen on; 0.0.0.0 in a cluster'),
  BRIDGE_PORT: z.coerce.number().int().min(0).max(65535).default(8080).describe('HTTP port to listen on'),
  BRIDGE_BODY_LIMIT_BYTES: z.coerce
    .number()
    .int()
    .positive()
    .default(1_048_576)
    .describe('Largest notification body accepted; larger ones get 413'),
  BRIDGE_PUBLISH_TIMEOUT_MS: z.coerce
    .number()
    .int()
    .positive()
    .default(10_000)
    .describe('How long to wait for the Kafka acknowledgement before answering 503'),
  LOG_LEVEL: z
    .enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal'])
    .default('info')
    .describe('pino log level'),
});

export type BridgeConfig = z.infer<typeof bridgeConfigSchema>;

/** Raised for a missing or invalid setting; the message is one line naming the variable. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

export function parseBridgeConfig(env: Readonly<Record<string, string | undefined>>): BridgeConfig {
  const result = bridgeConfigSchema.safeParse(env);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const name = issue.path.join('.');
    return issue.message.startsWith(name) ? issue.message : `${name}: ${issue.message}`;
  });
  throw new ConfigError(`invalid configuration: ${problems.join('; ')}`);
}
