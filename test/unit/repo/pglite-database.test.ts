// Embedded PostgreSQL databases after the first start from an image of an empty cluster: each must
// still be a database of its own, and one in a directory must keep what was written to it.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PgliteDatabase } from '../../../service/adapters/pglite/pglite-database';

describe('PgliteDatabase', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pp-pglite-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('gives every new database a cluster of its own, in memory or in a directory', async () => {
    const first = await PgliteDatabase.open();
    const second = await PgliteDatabase.open();
    try {
      await first.exec('CREATE TABLE visit (id bigint)');
      await first.query('INSERT INTO visit VALUES ($1)', [42]);
      const seen = await second.query<{ n: string }>(
        "SELECT count(*)::text AS n FROM information_schema.tables WHERE table_name = 'visit'",
      );
      expect(seen.rows[0]?.n).toBe('0');
      // int8 still comes back as a bigint in a database started from the image
      expect((await first.query<{ id: bigint }>('SELECT id FROM visit')).rows[0]?.id).toBe(42n);
    } finally {
      await Promise.all([first.close(), second.close()]);
    }
    const onDisk = join(dir, 'registry');
    const written = await PgliteDatabase.open(onDisk);
    await written.exec('CREATE TABLE detector (id int); INSERT INTO detector VALUES (7)');
    await written.close();
    const reopened = await PgliteDatabase.open(onDisk);
    try {
      expect((await reopened.query<{ id: number }>('SELECT id FROM detector')).rows).toEqual([{ id: 7 }]);
    } finally {
      await reopened.close();
    }
  }, 120_000);
});
