import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Apdb } from '../../service/apdb/apdb';
import { regionQuery } from '../../service/apdb/read-dia-objects';
import { ApdbInputError } from '../../service/apdb/store-dia-catalogs';
import { apdbLocation } from '../../service/domain/apdb/apdb-location';
import { htmIndex } from '../../service/domain/sky/htm';
import { makeCatalogs, sourceId } from '../support/apdb-catalogs';
import { databaseUrl, expectListening, uniqueName } from '../support/local-services';
import { dropSchema } from '../support/repos';

const TWO_53 = 2n ** 53n;

describe('APDB on PostgreSQL', () => {
  const namespace = uniqueName('it_apdb').replace(/-/g, '_');
  let apdb: Apdb;
  const visit = 2026112800101n;

  beforeAll(async () => {
    await expectListening('PostgreSQL', '127.0.0.1:5432');
    // The service's CONFIG_APDB form: the schema travels in the URL's libpq options.
    const url = `${databaseUrl()}?options=${encodeURIComponent(`-c search_path=${namespace}`)}`;
    apdb = await Apdb.open(apdbLocation(url));
  });

  afterAll(async () => {
    await apdb?.close();
    await dropSchema(namespace);
  });

  it('creates the tables once; creating again is a no-op', async () => {
    expect((await apdb.create()).applied).toHaveLength(1);
    expect((await apdb.create()).applied).toEqual([]);
    const status = await apdb.status();
    expect(status).toMatchObject({ namespace, schemaVersion: 1, metadata: { 'version:schema': '10.0.0' } });
    expect(status.rowCounts).toMatchObject({ DiaObject: 0, DiaSource: 0, DiaForcedSource: 0, SSObject: 0 });
  });

  it('stores one visit-detector in one transaction and reads its objects back by region, ids as BigInt', async () => {
    const catalogs = makeCatalogs({ visit, detector: 0, count: 200 });
    expect(await apdb.store(catalogs)).toEqual({
      stored: true,
      diaSources: 200,
      diaForcedSources: 50,
      diaObjects: 200,
    });
    const objects = await apdb.readDiaObjectsInRegion({ raDeg: 149.28, decDeg: 2.93, radiusDeg: 0.05 });
    expect(objects.length).toBeGreaterThan(10);
    expect(objects.length).toBeLessThan(200);
    for (const o of objects) {
      expect(typeof o.diaObjectId).toBe('bigint');
      expect(o.diaObjectId > TWO_53).toBe(true);
      expect(o.pixelId).toBe(BigInt(htmIndex(o.ra, o.dec, 20)));
    }
    const everything = await apdb.readDiaObjectsInRegion({ raDeg: 149.28, decDeg: 2.93, radiusDeg: 0.2 });
    expect(everything.map((o) => o.diaObjectId).sort()).toEqual(
      catalogs.diaObjects.map((o) => o.diaObjectId).sort(),
    );
    expect(await apdb.containsVisitDetector(visit, 0)).toBe(true);
    expect(await apdb.containsVisitDetector(visit, 1)).toBe(false);
  });

  it('skips a rerun of the same visit-detector: nothing duplicated, nothing replaced', async () => {
    const again = makeCatalogs({ visit, detector: 0, count: 200, seed: 99 });
    expect(await apdb.store(again)).toMatchObject({ stored: false, diaSources: 0 });
    expect((await apdb.status()).rowCounts).toMatchObject({
      DiaSource: 200,
      DiaObject: 200,
      DiaForcedSource: 50,
    });
  });

  it('versions DiaObjects: the old row is closed at the new visit time and a new one becomes current', async () => {
    const id = sourceId(visit, 0, 0);
    const later = makeCatalogs({
      visit: visit + 1n,
      detector: 0,
      count: 1,
      existingObjectIds: [id],
      visitTimeMjdTai: 61008.2,
    });
    expect((await apdb.store(later)).stored).toBe(true);
    const versions = await apdb.db.query<{ validityStartMjdTai: number; validityEndMjdTai: number | null }>(
      `SELECT "validityStartMjdTai", "validityEndMjdTai" FROM "${namespace}"."DiaObject" WHERE "diaObjectId" = $1 ORDER BY 1`,
      [id],
    );
    expect(versions.rows).toEqual([
      { validityStartMjdTai: 61007.1, validityEndMjdTai: 61008.2 },
      { validityStartMjdTai: 61008.2, validityEndMjdTai: null },
    ]);
    const last = await apdb.db.query<{ nDiaSources: number; validityStartMjdTai: number }>(
      `SELECT "nDiaSources", "validityStartMjdTai" FROM "${namespace}"."DiaObjectLast" WHERE "diaObjectId" = $1`,
      [id],
    );
    expect(last.rows).toEqual([{ nDiaSources: 2, validityStartMjdTai: 61008.2 }]);
  });

  it('takes 8 detectors of one visit at once, sharing edge objects: no deadlock, no lost rows', async () => {
    const next = visit + 10n;
    const shared = [1, 2, 3, 4, 5].map((i) => sourceId(visit, 0, i));
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, detector) =>
        apdb.store(
          makeCatalogs({
            visit: next,
            detector,
            count: 100,
            // each detector updates the shared objects, half of them in the opposite order
            existingObjectIds: detector % 2 === 0 ? shared : [...shared].reverse(),
            visitTimeMjdTai: 61010.5,
          }),
        ),
      ),
    );
    expect(results.every((r) => r.stored)).toBe(true);
    const counts = await apdb.db.query<{ n: bigint; objects: bigint }>(
      `SELECT count(*) AS n, count(DISTINCT "diaObjectId") AS objects FROM "${namespace}"."DiaSource" WHERE "visit" = $1`,
      [next],
    );
    expect(counts.rows[0]).toEqual({ n: 800n, objects: 8n * 95n + 5n });
    const current = await apdb.db.query<{ n: bigint }>(
      `SELECT count(*) AS n FROM "${namespace}"."DiaObject" WHERE "diaObjectId" = ANY($1::bigint[]) AND "validityEndMjdTai" IS NULL`,
      [shared],
    );
    expect(current.rows[0]?.n).toBe(5n);
  });

  it('reads a region through the pixelId index, not a full scan', async () => {
    const spread = makeCatalogs({ visit: visit + 20n, detector: 9, count: 3000, halfWidthDeg: 5, seed: 3 });
    await apdb.store(spread);
    await apdb.db.exec(`ANALYZE "${namespace}"."DiaObjectLast"`);
    const { text, params } = regionQuery(`"${namespace}"`, { raDeg: 149.28, decDeg: 2.93, radiusDeg: 0.05 });
    expect(text).toMatch(/"pixelId" BETWEEN \$1 AND \$2/);
    const plan = await apdb.db.query<{ 'QUERY PLAN': string }>(`EXPLAIN ${text}`, params);
    const lines = plan.rows.map((r) => r['QUERY PLAN']).join('\n');
    expect(lines).toMatch(/Index/);
    expect(lines).not.toMatch(/Seq Scan/);
  });

  it('fails on bad catalogs before writing anything', async () => {
    const bad = makeCatalogs({ visit: visit + 30n, detector: 40000, count: 3 });
    await expect(apdb.store(bad)).rejects.toThrow(ApdbInputError);
    const twice = makeCatalogs({ visit: visit + 30n, detector: 1, count: 3 });
    await expect(
      apdb.store({
        ...twice,
        diaObjects: [...twice.diaObjects, twice.diaObjects[0] as (typeof twice.diaObjects)[0]],
      }),
    ).rejects.toThrow(/appears twice/);
    expect(await apdb.containsVisitDetector(visit + 30n, 1)).toBe(false);
  });

  it('fails on a DiaSource id stored before and rolls the whole visit-detector back', async () => {
    const before = (await apdb.status()).rowCounts;
    const clash = makeCatalogs({ visit: visit + 40n, detector: 2, count: 5 });
    const reused = {
      ...clash,
      diaSources: [
        ...clash.diaSources,
        { ...clash.diaSources[0], diaSourceId: sourceId(visit, 0, 7) } as (typeof clash.diaSources)[0],
      ],
    };
    await expect(apdb.store(reused)).rejects.toThrow(/duplicate key/);
    expect((await apdb.status()).rowCounts).toEqual(before);
    expect(await apdb.containsVisitDetector(visit + 40n, 2)).toBe(false);
    expect((await apdb.store(clash)).stored).toBe(true);
  });

  it('reset drops every row and recreates the tables', async () => {
    await apdb.reset();
    const status = await apdb.status();
    expect(status.schemaVersion).toBe(1);
    expect(Object.entries(status.rowCounts).filter(([t, n]) => t !== 'metadata' && n !== 0)).toEqual([]);
  });
});

describe('APDB on embedded PostgreSQL (the no-services default)', () => {
  it('creates, stores and reads by region with the same SQL', async () => {
    const apdb = await Apdb.open(apdbLocation('memory:', 'pp_apdb'));
    try {
      await apdb.create();
      const catalogs = makeCatalogs({ visit: 7n, detector: 3, count: 50 });
      expect((await apdb.store(catalogs)).stored).toBe(true);
      expect((await apdb.store(catalogs)).stored).toBe(false);
      const found = await apdb.readDiaObjectsInRegion({ raDeg: 149.28, decDeg: 2.93, radiusDeg: 0.2 });
      expect(found.map((o) => o.diaObjectId).sort()).toEqual(
        catalogs.diaObjects.map((o) => o.diaObjectId).sort(),
      );
      expect(await apdb.containsVisitDetector(7n, 3)).toBe(true);
    } finally {
      await apdb.close();
    }
  });
});
