// The APDB's migrations in order. Append new ones; never edit one that has shipped.
import type { MigrationSet } from '../migration';
import { apdbTables } from './0001-apdb-tables';

export const APDB_MIGRATIONS: MigrationSet = { name: 'apdb', migrations: [apdbTables] };
