// `repo.yaml` at a repo's root: where its registry lives. Written by `prompt-repo create`, read by
// everything that opens the repo (CLIs, the service, the Jobs via CENTRAL_REPO). The file holds no
// password: PostgreSQL credentials come from PGPASSWORD (a Secret in the cluster).

import { parse, stringify } from 'yaml';
import { z } from 'zod';
import { RepoError } from '../domain/repo/repo-errors';

export const REPO_CONFIG_FILE = 'repo.yaml';

const repoConfigSchema = z.strictObject({
  registry: z.strictObject({
    /** postgresql:// URL, or a directory (relative to a filesystem repo's root) for embedded PostgreSQL. */
    db: z.string().min(1),
    namespace: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]{0,62}$/, 'namespace must be a schema name'),
  }),
});

export type RepoConfig = z.output<typeof repoConfigSchema>;

export function parseRepoConfig(text: string, where: string): RepoConfig {
  let raw: unknown;
  try {
    raw = parse(text);
  } catch (error) {
    throw new RepoError(
      `${where} is not YAML (${(error as Error).message}): recreate it with "prompt-repo create"`,
    );
  }
  const result = repoConfigSchema.safeParse(raw);
  if (!result.success)
    throw new RepoError(
      `${where} is not a repo config (${result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')})`,
    );
  return result.data;
}

export function formatRepoConfig(config: RepoConfig): string {
  return `# prompt-processing repo: written by "prompt-repo create"\n${stringify(config)}`;
}
