// Recognising PostgreSQL errors by SQLSTATE, the same for pg and PGlite.

export function sqlState(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

export const UNIQUE_VIOLATION = '23505';
export const FOREIGN_KEY_VIOLATION = '23503';
export const UNDEFINED_TABLE = '42P01';
export const INVALID_SCHEMA = '3F000';
