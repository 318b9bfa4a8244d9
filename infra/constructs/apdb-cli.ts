// The `prompt-apdb` command lines the Jobs run, in one place: the CLI ships in the service image and
// takes the APDB schema (`--namespace`) and a password-less Postgres URL (PGPASSWORD comes from the
// namespace's Secret).

/** Creates the schema and its tables where missing; safe to run on every sync. */
export function apdbCreateCommand(schema: string, dbUrl: string): string[] {
  return ['prompt-apdb', 'create', '--namespace', schema, '--db-url', dbUrl];
}

/** Empties the schema for good (`--yes` confirms without a prompt); used when an environment goes away. */
export function apdbResetCommand(schema: string, dbUrl: string): string[] {
  return ['prompt-apdb', 'reset', '--yes', '--namespace', schema, '--db-url', dbUrl];
}
