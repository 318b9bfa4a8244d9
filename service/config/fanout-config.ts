// Configuration of `prompt-fanout`: consumes next_visit for one instrument and POSTs one CloudEvent
// per detector to that instrument's prompt service. Which detectors comes from the instrument catalog.

import { z } from 'zod';
import { INSTRUMENT_NAMES } from '../domain/instruments';
import { type Environment, parseEnvironment, requirePasswordWithUser } from './config-error';
import { entriesOf, optional, required, type SettingEntry, withDefault } from './settings';

const flag = z.enum(['0', '1']).transform((v) => v === '1');

export const fanOutConfigSchema = z.object({
  RUBIN_INSTRUMENT: required(z.enum(INSTRUMENT_NAMES), 'Instrument whose visits are fanned out.'),
  KAFKA_CLUSTER: required(z.string().min(1), 'Kafka bootstrap servers carrying next_visit.'),
  NEXT_VISIT_TOPIC: required(z.string().min(1), 'Topic of next_visit messages.'),
  KAFKA_CONSUMER_GROUP: required(
    z.string().min(1),
    'Consumer group; one per fan-out so each sees every visit.',
  ),
  KAFKA_USERNAME: optional(z.string().min(1), 'SCRAM-SHA-512 user; unset connects without authentication.'),
  KAFKA_PASSWORD: optional(z.string().min(1), 'Password of KAFKA_USERNAME.', { secret: true }),
  SERVICE_URL: required(z.url(), 'Prompt service URL; the fan-out POSTs to <url>/next-visit.'),
  MESSAGE_EXPIRATION: withDefault(
    z.coerce.number().nonnegative(),
    '3600',
    'Seconds after which a visit is dropped.',
  ),
  MAX_FAN_OUT_MESSAGES: withDefault(
    z.coerce.number().int().min(1),
    '2000',
    'Concurrent requests to the service.',
  ),
  RETRY_KNATIVE_REQUESTS: withDefault(flag, '1', 'Retry once, after Retry-After, on a 503.'),
  METRICS_HOST: withDefault(
    z.string().min(1),
    '127.0.0.1',
    'Address of /metrics and /healthz; 0.0.0.0 in a cluster.',
  ),
  METRICS_PORT: withDefault(
    z.coerce.number().int().min(0).max(65535),
    '8000',
    'Port of /metrics and /healthz.',
  ),
  LOG_LEVEL: withDefault(
    z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal']),
    'info',
    'pino log level.',
  ),
});

export type FanOutConfig = z.output<typeof fanOutConfigSchema>;
export type FanOutSettingName = keyof typeof fanOutConfigSchema.shape;
export const FAN_OUT_CONFIG_ENTRIES: readonly SettingEntry<FanOutSettingName>[] =
  entriesOf(fanOutConfigSchema);

export function parseFanOutConfig(env: Environment): FanOutConfig {
  const config = parseEnvironment(fanOutConfigSchema, env);
  requirePasswordWithUser(config);
  return config;
}
