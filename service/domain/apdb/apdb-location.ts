// Where an APDB lives: a database (a postgresql:// URL, or a directory for embedded PostgreSQL) and a
// namespace (schema). The namespace comes from --namespace or from the URL's libpq
// `options=-c search_path=<schema>` — the form CONFIG_APDB carries in the service config.

export interface ApdbLocation {
  /** The database to connect to, with any search_path option removed. */
  readonly dbUrl: string;
  readonly namespace: string;
}

export class ApdbLocationError extends Error {
  override readonly name = 'ApdbLocationError';
}

const SCHEMA = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

/** The schema named by `-c search_path=<schema>` in a postgresql:// URL's `options`, if any. */
export function searchPathOf(dbUrl: string): string | undefined {
  if (!/^postgres(ql)?:\/\//.test(dbUrl)) return undefined;
  const options = new URL(dbUrl).searchParams.get('options');
  const match = options ? /(?:^|\s)-c\s*search_path=([^\s,]+)/.exec(options) : null;
  return match?.[1]?.replace(/^"|"$/g, '');
}

function withoutSearchPath(dbUrl: string): string {
  if (!/^postgres(ql)?:\/\//.test(dbUrl)) return dbUrl;
  const url = new URL(dbUrl);
  const options = url.searchParams.get('options');
  if (options === null) return dbUrl;
  const rest = options.replace(/(?:^|\s)-c\s*search_path=[^\s]+/, '').trim();
  if (rest) url.searchParams.set('options', rest);
  else url.searchParams.delete('options');
  return url.toString();
}

export function apdbLocation(dbUrl: string, namespace?: string): ApdbLocation {
  if (!dbUrl) throw new ApdbLocationError('no APDB database: pass --db-url or set CONFIG_APDB');
  let fromUrl: string | undefined;
  try {
    fromUrl = searchPathOf(dbUrl);
  } catch {
    throw new ApdbLocationError(`APDB URL is not a valid URL: fix --db-url / CONFIG_APDB`);
  }
  if (namespace && fromUrl && namespace !== fromUrl)
    throw new ApdbLocationError(
      `--namespace ${namespace} disagrees with the URL's search_path=${fromUrl}: give one or make them equal`,
    );
  const chosen = namespace ?? fromUrl;
  if (!chosen)
    throw new ApdbLocationError(
      'no APDB namespace: pass --namespace <schema> or put options=-c search_path=<schema> in the URL',
    );
  if (!SCHEMA.test(chosen))
    throw new ApdbLocationError(`APDB namespace "${chosen}" is not a schema name (letters, digits, _)`);
  return { dbUrl: withoutSearchPath(dbUrl), namespace: chosen };
}
