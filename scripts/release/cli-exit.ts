// How the release CLIs end: a known failure prints its message (which says what to do) and exits 1;
// anything unexpected is rethrown so its stack trace reaches the workflow log.

import { InvalidReleaseVersionError } from './release-version';

/** Errors whose message is the whole story: the user fixes an input, no stack trace needed. */
export type ExpectedFailure = new (...args: never[]) => Error;

export function runCli(main: () => void, expected: readonly ExpectedFailure[]): void {
  try {
    main();
  } catch (error) {
    const known = [InvalidReleaseVersionError, ...expected].some((kind) => error instanceof kind);
    if (!known || !(error instanceof Error)) throw error;
    process.stderr.write(`error: ${error.message}\n`);
    process.exitCode = 1;
  }
}

/** GitHub passes an unset input as "", and booleans as the strings "true" and "false". */
export function parseFlag(value: string | undefined, name: string): boolean {
  if (value === undefined || value === '' || value === 'false') return false;
  if (value === 'true') return true;
  throw new InvalidFlagError(`--${name} takes "true" or "false", got "${value}"`);
}

/** An empty string from a workflow expression means "not given". */
export function given(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}

export class InvalidFlagError extends Error {
  override readonly name = 'InvalidFlagError';
}
