// The one error type every entry point raises for unusable settings, and the one-line wording of
// zod's issues that goes with it.
import type { z } from 'zod';

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
