// Environment the admin CLIs (`prompt-repo`, `prompt-apdb`) read when a flag does not say otherwise.
// The names and meanings are the service's, so the Jobs pass the same values the service gets.
import { z } from 'zod';
import { parseEnvironment } from './config-error';
import { entriesOf, optional } from './settings';

export const adminCliConfigSchema = z.object({
  CENTRAL_REPO: optional(
    z.string().min(1),
    'Root URI of the repo prompt-repo works on (when --repo is absent).',
  ),
  S3_ENDPOINT_URL: optional(
    z.url(),
    'S3 endpoint for s3:// repo roots; unset means the default AWS endpoint.',
  ),
  CONFIG_APDB: optional(
    z.string().min(1),
    'APDB database for prompt-apdb when --db-url is absent (postgresql://…?options=-c search_path=<schema>).',
  ),
});

export type AdminCliConfig = z.output<typeof adminCliConfigSchema>;
export const ADMIN_CLI_CONFIG_ENTRIES = entriesOf(adminCliConfigSchema);

export function parseAdminCliConfig(env: NodeJS.ProcessEnv): AdminCliConfig {
  return parseEnvironment(adminCliConfigSchema, env);
}
