import { Client } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseUrl, expectListening, uniqueName } from '../support/local-services';

describe('PostgreSQL (local service)', () => {
  const client = new Client({ connectionString: databaseUrl(), connectionTimeoutMillis: 3000 });
  const schema = uniqueName('it_pg').replace(/-/g, '_');

  beforeAll(async () => {
    await expectListening('PostgreSQL', '127.0.0.1:5432');
    await client.connect();
    await client.query(`CREATE SCHEMA ${schema}`);
  });

  afterAll(async () => {
    await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await client.end();
  });

  it('round-trips rows, 64-bit ids included, as the project role', async () => {
    const who = await client.query<{ current_user: string }>('SELECT current_user');
    expect(who.rows[0]?.current_user).toBe('prompt');
    await client.query(
      `CREATE TABLE ${schema}.dia_source (dia_source_id bigint PRIMARY KEY, ra double precision)`,
    );
    const id = 9_007_199_254_740_993n; // 2^53 + 1: not representable as a JS number
    await client.query(`INSERT INTO ${schema}.dia_source VALUES ($1, $2)`, [id.toString(), 149.28]);
    const read = await client.query<{ dia_source_id: string; ra: number }>(
      `SELECT dia_source_id::text, ra FROM ${schema}.dia_source`,
    );
    expect(read.rows).toEqual([{ dia_source_id: id.toString(), ra: 149.28 }]);
  });

  it('rolls a failed transaction back', async () => {
    await client.query(`CREATE TABLE ${schema}.visit (visit bigint PRIMARY KEY)`);
    await client.query('BEGIN');
    await client.query(`INSERT INTO ${schema}.visit VALUES (1)`);
    await expect(client.query(`INSERT INTO ${schema}.visit VALUES (1)`)).rejects.toThrow(/duplicate key/);
    await client.query('ROLLBACK');
    const count = await client.query<{ n: string }>(`SELECT count(*)::text AS n FROM ${schema}.visit`);
    expect(count.rows[0]?.n).toBe('0');
  });
});
