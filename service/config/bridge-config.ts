// Configuration of `prompt-bridge`: receives S3 event notifications over HTTP (for object stores that
// cannot push to Kafka themselves) and publishes each one, unchanged, to a Kafka topic.

import { z } from 'zod';
import { entriesOf, optional, required, type SettingEntry, withDefault } from './settings';

export const bridgeConfigSchema = z.object({
  PORT: withDefault(z.coerce.number().int().positive(), '8080', 'Port the HTTP listener binds.'),
  KAFKA_CLUSTER: required(z.string().min(1), 'Kafka bootstrap servers to publish to.'),
  BUCKET_TOPIC: required(z.string().min(1), 'Topic the notifications are published to.'),
  KAFKA_USERNAME: optional(z.string().min(1), 'SCRAM-SHA-512 user; unset connects without authentication.'),
  KAFKA_PASSWORD: optional(z.string().min(1), 'Password of KAFKA_USERNAME.', { secret: true }),
});

export type BridgeConfig = z.output<typeof bridgeConfigSchema>;
export type BridgeSettingName = keyof typeof bridgeConfigSchema.shape;
export const BRIDGE_CONFIG_ENTRIES: readonly SettingEntry<BridgeSettingName>[] =
  entriesOf(bridgeConfigSchema);
