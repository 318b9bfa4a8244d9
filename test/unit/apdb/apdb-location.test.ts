import { describe, expect, it } from 'vitest';
import { ApdbLocationError, apdbLocation, searchPathOf } from '../../../service/domain/apdb/apdb-location';

const base = 'postgresql://rubin@db.example:5432/lsst-devl';
const withPath = `${base}?options=${encodeURIComponent('-c search_path=pp_apdb_latiss')}`;

describe('APDB location (--db-url, --namespace, CONFIG_APDB)', () => {
  it('takes the namespace from the libpq search_path option and drops that option from the URL', () => {
    expect(searchPathOf(withPath)).toBe('pp_apdb_latiss');
    expect(apdbLocation(withPath)).toEqual({ dbUrl: base, namespace: 'pp_apdb_latiss' });
  });

  it('keeps other libpq options', () => {
    const url = `${base}?options=${encodeURIComponent('-c search_path=pp -c statement_timeout=5000')}&sslmode=require`;
    const location = apdbLocation(url);
    expect(location.namespace).toBe('pp');
    expect(new URL(location.dbUrl).searchParams.get('options')).toBe('-c statement_timeout=5000');
    expect(new URL(location.dbUrl).searchParams.get('sslmode')).toBe('require');
  });

  it('accepts --namespace with a plain URL, or both when they agree; a directory is embedded PostgreSQL', () => {
    expect(apdbLocation(base, 'pp_apdb')).toEqual({ dbUrl: base, namespace: 'pp_apdb' });
    expect(apdbLocation(withPath, 'pp_apdb_latiss').namespace).toBe('pp_apdb_latiss');
    expect(apdbLocation('/var/lib/apdb', 'pp_apdb')).toEqual({
      dbUrl: '/var/lib/apdb',
      namespace: 'pp_apdb',
    });
  });

  it('fails when --namespace and the search_path disagree, or neither names a schema', () => {
    expect(() => apdbLocation(withPath, 'other')).toThrow(
      /disagrees with the URL's search_path=pp_apdb_latiss/,
    );
    expect(() => apdbLocation(base)).toThrow(ApdbLocationError);
    expect(() => apdbLocation(base, 'drop table; --')).toThrow(/not a schema name/);
    expect(() => apdbLocation('')).toThrow(/--db-url or set CONFIG_APDB/);
  });
});
