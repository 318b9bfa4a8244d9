// Picks the SQL backend from a location string: `postgresql://` (or `postgres://`) URLs go to the
// PostgreSQL server, anything else is a directory for embedded PostgreSQL (`memory:` for none).

import type { SqlDatabase } from '../ports/sql-database';
import { PgliteDatabase } from './pglite/pglite-database';
import { PgDatabase } from './postgres/pg-database';

export function isPostgresUrl(location: string): boolean {
  return /^postgres(ql)?:\/\//.test(location);
}

export async function openSqlDatabase(location: string): Promise<SqlDatabase> {
  if (isPostgresUrl(location)) return new PgDatabase(location);
  if (location === 'memory:') return PgliteDatabase.open();
  return PgliteDatabase.open(location.replace(/^file:\/\//, ''));
}
