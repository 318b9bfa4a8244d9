// The one error type every entry point raises for unusable settings, and the one-line wording of
// zod's issues that goes with it.
import type { z } from 'zod';

export type Environment = Readonly<Record<string, string | undefined>>;

/** Raised for a missing or invalid setting; the message is one line naming the variable. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/** "NAME: problem; NAME: problem", without repeating a name a message already starts with. */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .map((issue) => {
      const name = issue.path.join('.');
      return issue.message.startsWith(name) ? issue.message : `${name}: ${issue.message}`;
    })
    .join('; ');
}

/** Parses a process's environment against its settings schema, or raises one ConfigError line. */
export function parseEnvironment<Schema extends z.ZodType>(
  schema: Schema,
  env: Environment,
): z.output<Schema> {
  const result = schema.safeParse(env);
  if (!result.success) throw new ConfigError(`invalid configuration: ${describeIssues(result.error)}`);
  return result.data;
}

/** SCRAM credentials come in pairs: a user without a password is a deployment mistake, not anonymity. */
export function requirePasswordWithUser(config: { KAFKA_USERNAME?: string; KAFKA_PASSWORD?: string }): void {
  if (config.KAFKA_USERNAME && !config.KAFKA_PASSWORD) {
    throw new ConfigError('invalid configuration: KAFKA_PASSWORD is required when KAFKA_USERNAME is set');
  }
}
