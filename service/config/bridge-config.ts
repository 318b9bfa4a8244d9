// Configuration of `prompt-bridge`, read from the environment once at start: receives S3 event
// notifications over HTTP (for object stores that cannot push to Kafka themselves) and produces each
// record to a Kafka topic. Names follow the service's where they mean the same thing.
import { z } from 'zod';
import { type Environment, parseEnvironment, requirePasswordWithUser } from './config-error';
import { entriesOf, optional, required, type SettingEntry, withDefault } from './settings';

/** Path a store's push endpoint names (the bridge also answers on "/"). */
export const BRIDGE_NOTIFICATION_PATH = '/s3-events';

export const bridgeConfigSchema = z.object({
  KAFKA_CLUSTER: required(
    z
      .string({ error: 'KAFKA_CLUSTER is required: the Kafka bootstrap servers, host:port[,host:port]' })
      .min(1, 'KAFKA_CLUSTER is empty: give the Kafka bootstrap servers, host:port[,host:port]'),
    'Kafka bootstrap servers that receive the notifications.',
  ),
  BUCKET_TOPIC: withDefault(
    z.string().min(1),
    'rubin-prompt-processing',
    'Topic the S3 event records are produced to (one message per record, key = object key).',
  ),
  KAFKA_USERNAME: optional(z.string().min(1), 'SCRAM-SHA-512 user; unset connects without authentication.'),
  KAFKA_PASSWORD: optional(z.string().min(1), 'Password of KAFKA_USERNAME.', { secret: true }),
  BRIDGE_HOST: withDefault(z.string().min(1), '127.0.0.1', 'Address to listen on; 0.0.0.0 in a cluster.'),
  BRIDGE_PORT: withDefault(z.coerce.number().int().min(0).max(65535), '8080', 'HTTP port to listen on.'),
  BRIDGE_BODY_LIMIT_BYTES: withDefault(
    z.coerce.number().int().positive(),
    '1048576',
    'Largest notification body accepted; larger ones get 413.',
  ),
  BRIDGE_PUBLISH_TIMEOUT_MS: withDefault(
    z.coerce.number().int().positive(),
    '10000',
    'How long to wait for the Kafka acknowledgement before answering 503.',
  ),
  LOG_LEVEL: withDefault(
    z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal']),
    'info',
    'pino log level.',
  ),
});

export type BridgeConfig = z.output<typeof bridgeConfigSchema>;
export type BridgeSettingName = keyof typeof bridgeConfigSchema.shape;
export const BRIDGE_CONFIG_ENTRIES: readonly SettingEntry<BridgeSettingName>[] =
  entriesOf(bridgeConfigSchema);

export function parseBridgeConfig(env: Environment): BridgeConfig {
  const config = parseEnvironment(bridgeConfigSchema, env);
  requirePasswordWithUser(config);
  return config;
}
