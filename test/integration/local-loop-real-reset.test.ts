// The loop's real backends start an instrument afresh when its seeding never finished: a registry
// schema left in PostgreSQL after RGW was wiped (what a CI machine with a kept database sees) would
// otherwise point at calibrations whose files are gone, and every visit would fail in prepare.
import { CreateBucketCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import pino from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { openSqlDatabase } from '../../service/adapters/open-sql-database';
import { s3ClientFor } from '../../service/adapters/s3/s3-datastore';
import { localDatabaseUrl } from '../../service/config/local-services';
import { instrumentByName } from '../../service/domain/instruments';
import { openRealBackends, realLoopNames, wipeRealBackends } from '../../service/local-loop/real-backends';
import { seedMarkerKey } from '../../service/local-loop/seed-instrument';
import { quoteIdentifier } from '../../service/ports/sql-database';
import { repoRoot, s3Endpoint, servicesDir } from '../support/local-services';

const developer = 'reset';
const latiss = instrumentByName('LATISS');
const names = realLoopNames(latiss, developer);
const databaseUrl = localDatabaseUrl(servicesDir, 'DEV_DATABASE_URL');
const quiet = pino({ level: 'silent' });

async function schemaTables(schema: string): Promise<string[]> {
  const db = await openSqlDatabase(databaseUrl);
  try {
    const rows = await db.query<{ table_name: string }>(
      'SELECT table_name FROM information_schema.tables WHERE table_schema = $1 ORDER BY table_name',
      [schema],
    );
    return rows.rows.map((row) => row.table_name);
  } finally {
    await db.close();
  }
}

/** The loop's real backends for the test's developer environment, and what they said while opening. */
async function openSaying(said: string[]) {
  said.length = 0;
  return openRealBackends(repoRoot, quiet, (line) => said.push(line), { developer, startServices: false });
}

describe('real loop backends and an unfinished seeding', () => {
  afterAll(async () => {
    await wipeRealBackends(repoRoot, ['LATISS'], () => undefined, { developer, startServices: false });
  });

  it('drop a stale registry schema and stray central-repo files before opening the repo', async () => {
    await wipeRealBackends(repoRoot, ['LATISS'], () => undefined, { developer, startServices: false });
    const db = await openSqlDatabase(databaseUrl);
    try {
      await db.exec(`CREATE SCHEMA ${quoteIdentifier(names.registrySchema)}`);
      await db.exec(`CREATE TABLE ${quoteIdentifier(names.registrySchema)}.left_behind (id integer)`);
    } finally {
      await db.close();
    }
    const said: string[] = [];
    const backends = await openSaying(said);
    const s3 = s3ClientFor({ endpoint: s3Endpoint().endpoint });
    try {
      await s3.send(new CreateBucketCommand({ Bucket: names.buckets.users })).catch(() => undefined);
      await s3.send(
        new PutObjectCommand({ Bucket: names.buckets.users, Key: 'central_repo/stray.fits', Body: 'x' }),
      );
      await s3.send(new PutObjectCommand({ Bucket: names.buckets.users, Key: 'pool/keep.json', Body: '{}' }));
      const opened = await backends.forInstrument(latiss);
      expect(said.join('\n')).toMatch(
        /was not seeded completely or lost its registry: starting it afresh \(1 files removed/,
      );
      const tables = await schemaTables(names.registrySchema);
      expect(tables).not.toContain('left_behind');
      expect(tables.length).toBeGreaterThan(0);
      expect(await opened.usersBucket.get('central_repo/stray.fits')).toBeUndefined();
      expect(await opened.usersBucket.get('pool/keep.json')).toBeDefined();

      // Once the seeding marker is there, a reopen keeps what it finds.
      await opened.usersBucket.put(seedMarkerKey('LATISS'), '{}', 'application/json');
      await opened.usersBucket.put('central_repo/kept.fits', 'y', 'application/octet-stream');
      await backends.close();
      const again = await openSaying(said);
      try {
        const reopened = await again.forInstrument(latiss);
        expect(said.join('\n')).not.toMatch(/afresh/);
        expect(await reopened.usersBucket.get('central_repo/kept.fits')).toBeDefined();
      } finally {
        await again.close();
      }

      // Seeded, but the registry is gone (PostgreSQL reset, RGW kept): the seeding must run again.
      const db2 = await openSqlDatabase(databaseUrl);
      try {
        await db2.exec(`DROP SCHEMA ${quoteIdentifier(names.registrySchema)} CASCADE`);
      } finally {
        await db2.close();
      }
      const third = await openSaying(said);
      try {
        const reopened = await third.forInstrument(latiss);
        expect(said.join('\n')).toMatch(/afresh/);
        expect(await reopened.usersBucket.get(seedMarkerKey('LATISS'))).toBeUndefined();
        expect(await reopened.usersBucket.get('central_repo/kept.fits')).toBeUndefined();
        expect(await schemaTables(names.registrySchema)).not.toHaveLength(0);
      } finally {
        await third.close();
      }
    } finally {
      s3.destroy();
      await backends.close();
    }
  }, 120_000);
});
