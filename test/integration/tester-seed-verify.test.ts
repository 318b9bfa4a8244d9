// seed-central-repo against the local RGW + PostgreSQL (LATISS, scaled-down detector), and verify
// reading the APDB after DiaSources were stored at a group's injected transients.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Apdb } from '../../service/apdb/apdb';
import { apdbLocation } from '../../service/domain/apdb/apdb-location';
import { readFits } from '../../service/domain/fits';
import { readTableLayout } from '../../service/domain/fits/binary-table';
import { datasetTypeDefinition } from '../../service/domain/repo/dataset-type';
import { skyToPixel, tanWcsFromHeader } from '../../service/domain/wcs/tan-wcs';
import { CURATED_POOLS } from '../../tester/pool/curated-groups';
import { makeUnobserved } from '../../tester/pool/make-unobserved';
import { seedCentralRepo } from '../../tester/seed/seed-central-repo';
import { uploadCurated } from '../../tester/upload/upload-runs';
import { readGroupRecord, verifyGroup } from '../../tester/verify/verify-groups';
import { makeCatalogs } from '../support/apdb-catalogs';
import { databaseUrl, repoRoot, uniqueName } from '../support/local-services';
import { centralRepo, dropSchema, type TestRepo } from '../support/repos';
import { type TesterFixture, testerFixture } from '../support/tester';

const AMP = { dataWidth: 32, dataHeight: 32 };

describe('prompt-tester seed-central-repo and verify (RGW + PostgreSQL)', () => {
  let central: TestRepo;
  let seeded: Awaited<ReturnType<typeof seedCentralRepo>>;

  beforeAll(async () => {
    central = await centralRepo('seed');
    seeded = await seedCentralRepo({
      repo: central.repo,
      pool: CURATED_POOLS.LATISS,
      pipelinesDir: join(repoRoot, 'pipelines'),
      ampSize: AMP,
    });
  }, 400_000); // full-size templates: well under a minute alone, minutes on a busy box

  afterAll(async () => {
    await central?.cleanup();
  });

  it('registers every input dataset type the LATISS pipelines declare', async () => {
    const template = await central.repo.registry.datasetType('template_coadd');
    expect(new Set(template?.dimensions)).toEqual(new Set(['skymap', 'tract', 'patch', 'band']));
    expect((await central.repo.registry.datasetType('flat'))?.isCalibration).toBe(true);
    expect(seeded.datasetTypes).toBeGreaterThanOrEqual(7);
  });

  it('certifies bias, dark and flat for the detector, valid now', async () => {
    const now = new Date();
    const dataId = { instrument: 'LATISS', detector: 0 };
    for (const type of ['bias', 'dark'])
      expect(
        await central.repo.registry.findCalibration(type, dataId, ['LATISS/defaults'], now),
      ).toBeDefined();
    const flat = await central.repo.registry.findCalibration(
      'flat',
      { ...dataId, physical_filter: 'SDSSr_65mm~empty' },
      ['LATISS/defaults'],
      now,
    );
    expect(flat).toBeDefined();
    const image = readFits(await central.repo.get(flat as NonNullable<typeof flat>)).hdus[0];
    // The scaled-down ITL detector: 8×2 amps of 32×32 pixels, as the pool raws were made.
    expect(image?.kind === 'image' ? image.axes : []).toEqual([256, 64]);
  });

  it('writes templates that cover the template groups and nothing at the no-template pointing', async () => {
    const templates = await central.repo.registry.queryDatasets({
      datasetType: 'template_coadd',
      collections: ['LATISS/templates'],
    });
    expect(templates.length).toBe(seeded.templates);
    expect(templates.length).toBeGreaterThan(0);
    let covered = 0;
    for (const dataset of templates) {
      expect(dataset.dataId).toMatchObject({ skymap: 'latiss_v1', band: 'r' });
      const hdu = readFits(await central.repo.get(dataset)).hdus[0];
      if (hdu?.kind !== 'image') throw new Error('template is not an image');
      const wcs = tanWcsFromHeader(hdu.header);
      const inside = (ra: number, dec: number) => {
        const p = skyToPixel(wcs, ra, dec);
        return p.x >= 0 && p.y >= 0 && p.x < (hdu.axes[0] ?? 0) && p.y < (hdu.axes[1] ?? 0);
      };
      if (inside(240, -30)) covered++;
      expect(inside(300, -45)).toBe(false);
    }
    expect(covered).toBeGreaterThan(0);
  });

  it('shards the reference catalog by HTM level 7', async () => {
    const shards = await central.repo.registry.queryDatasets({
      datasetType: 'refcat',
      collections: ['refcats'],
    });
    expect(shards.length).toBe(seeded.refcatShards);
    const table = readFits(await central.repo.get(shards[0] as (typeof shards)[number])).hdus[1];
    if (table?.kind !== 'other') throw new Error('refcat shard has no table');
    expect(readTableLayout(table.header).rows).toBeGreaterThan(0);
  });

  it('seeds again without error or duplicates (a rerun completes a partial seed)', async () => {
    const again = await seedCentralRepo({
      repo: central.repo,
      pool: CURATED_POOLS.LATISS,
      pipelinesDir: join(repoRoot, 'pipelines'),
      ampSize: AMP,
    });
    expect(again).toEqual(seeded);
    const biases = await central.repo.registry.queryDatasets({
      datasetType: 'bias',
      collections: ['LATISS/calib'],
    });
    expect(biases).toHaveLength(1);
  }, 60_000);

  describe('verify', () => {
    let f: TesterFixture;
    let apdb: Apdb;
    const namespace = uniqueName('it_verify_apdb').replace(/-/g, '_');

    beforeAll(async () => {
      f = await testerFixture('verify');
      apdb = await Apdb.open(apdbLocation(databaseUrl(), namespace));
      await apdb.create();
    });

    afterAll(async () => {
      await apdb?.db.close();
      await dropSchema(namespace);
      await f?.cleanup();
    });

    it('reports per detector what the APDB holds against the injected transients', async () => {
      await makeUnobserved({
        bucket: f.usersBucket,
        pool: CURATED_POOLS.LATISS,
        kind: 'curated',
        ampSize: AMP,
        nowUtc: new Date(),
      });
      const [sent] = (await uploadCurated(await f.context('LATISS', 'curated'), 1)).groups;
      const record = await readGroupRecord(f.usersBucket, sent?.groupId ?? '');
      const transients = record.detectors[0]?.transients ?? [];
      expect(transients).toHaveLength(5);
      const visit = BigInt(record.exposureIds[0] ?? 0);
      const catalogs = makeCatalogs({ visit, detector: 0, count: 4 });
      // Four DiaSources: three on transients, one far from any.
      const diaSources = catalogs.diaSources.map((s, i) =>
        i < 3 ? { ...s, ra: transients[i]?.ra ?? 0, dec: transients[i]?.dec ?? 0 } : s,
      );
      await apdb.store({ ...catalogs, diaSources });
      const [verdict] = await verifyGroup(record, apdb, central.repo);
      expect(verdict).toMatchObject({
        groupId: sent?.groupId,
        detector: 0,
        processed: true,
        apdbStored: true,
        pipeline: 'none',
        diaSources: 4,
        transientsInjected: 5,
        transientsFound: 3,
      });
    });

    it('names the pipeline from the run of the outputs the central repo holds for the visit', async () => {
      const [sent] = (await uploadCurated(await f.context('LATISS', 'curated'), 1)).groups;
      const record = await readGroupRecord(f.usersBucket, sent?.groupId ?? '');
      const visit = record.exposureIds[0] ?? 0;
      const dayObs = Math.floor(visit / 100_000);
      const r = central.repo.registry;
      await r.insertDimensionRecords('day_obs', [{ instrument: 'LATISS', day_obs: dayObs }], {
        skipExisting: true,
      });
      await r.insertDimensionRecords(
        'visit',
        [{ instrument: 'LATISS', visit, physical_filter: 'SDSSr_65mm~empty', day_obs: dayObs }],
        { skipExisting: true },
      );
      await r.registerDatasetType(
        datasetTypeDefinition({
          name: 'post_isr_image',
          dimensions: ['instrument', 'visit', 'detector'],
          storageClass: 'Exposure',
        }),
      );
      const run = 'LATISS/prompt/output-2026-11-28/Isr/pipelines-0123456-config-89abcde';
      await r.registerCollection(run, 'RUN');
      await central.repo.put(
        'post_isr_image',
        { instrument: 'LATISS', visit, detector: 0 },
        run,
        new Uint8Array(8),
      );
      const [verdict] = await verifyGroup(record, undefined, central.repo);
      expect(verdict).toMatchObject({
        processed: true,
        pipeline: 'Isr',
        apdbStored: false,
        transientsFound: 0,
      });
    });

    it('fails for a group prompt-tester never uploaded, naming where it looked', async () => {
      await expect(readGroupRecord(f.usersBucket, 'no-such-group')).rejects.toThrow(
        /was not uploaded by prompt-tester/,
      );
    });
  });
});
