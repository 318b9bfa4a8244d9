// Environment prompt-tester reads when a flag does not say otherwise: the same names the service and
// admin CLIs use, so a developer's shell for one works for the other.
import { z } from 'zod';
import { parseEnvironment, requirePasswordWithUser } from './config-error';
import { entriesOf, optional } from './settings';

export const testerConfigSchema = z.object({
  S3_ENDPOINT_URL: optional(z.url(), 'S3 endpoint of the raw and users buckets; unset means AWS.'),
  KAFKA_CLUSTER: optional(z.string().min(1), 'Kafka bootstrap servers for next_visit (host:port,…).'),
  KAFKA_USERNAME: optional(z.string().min(1), 'SCRAM-SHA-512 user for Kafka.'),
  KAFKA_PASSWORD: optional(z.string().min(1), 'SCRAM-SHA-512 password for Kafka.', { secret: true }),
  CENTRAL_REPO: optional(z.string().min(1), 'Central repo root for seed-central-repo and verify.'),
  CONFIG_APDB: optional(
    z.string().min(1),
    'APDB for verify (postgresql://…?options=-c search_path=<schema>).',
  ),
});

export type TesterConfig = z.output<typeof testerConfigSchema>;
export const TESTER_CONFIG_ENTRIES = entriesOf(testerConfigSchema);

export function parseTesterConfig(env: NodeJS.ProcessEnv): TesterConfig {
  const config = parseEnvironment(testerConfigSchema, env);
  requirePasswordWithUser(config);
  return config;
}
