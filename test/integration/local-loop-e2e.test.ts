// End to end on the local services: three LATISS groups played by the tester → next-visit topic →
// fan-out → prompt service → raws PUT to Ceph RGW → bucket notification → bridge → Kafka → the
// service's wait → ApPipe (or the fallback) → APDB, alerts on the alert topic, outputs exported to
// the central repo. Uses a developer environment's names ("e2e"): rerunning needs no reset, since
// the tester hands out fresh group and exposure ids every time.
import { statSync } from 'node:fs';
import { mkdtemp, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeAlert } from '../../service/alerts/alert-packet';
import { loadAlertSchema } from '../../service/alerts/alert-schema';
import { buildDashboard } from '../../service/dashboard/dashboard-app';
import { instrumentByName } from '../../service/domain/instruments';
import { type GroupsResult, LocalLoop } from '../../service/local-loop/local-loop';
import type { LoopBackends } from '../../service/local-loop/loop-backends';
import { openRealBackends } from '../../service/local-loop/real-backends';
import { VisitJournal } from '../../service/local-loop/visit-journal';
import { poolGeometry, SEEING_FWHM_ARCSEC, SKY_ELECTRONS } from '../../tester/pool/simulate-pool-raw';
import { readGroupRecord } from '../../tester/verify/verify-groups';
import { checkDashboard, SCREENSHOT_DIR } from '../support/dashboard-browser';
import { repoRoot } from '../support/local-services';

const quiet = pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });

/** Expected SNR of a point source on the difference image: Gaussian PSF, sky-dominated noise. */
function expectedSnr(flux: number, fwhmPixels: number): number {
  const sigma = fwhmPixels / 2.3548;
  const noiseArea = 4 * Math.PI * sigma * sigma;
  return flux / Math.sqrt(flux + noiseArea * SKY_ELECTRONS * 1.05);
}

describe('the whole loop on the local services (LATISS, 3 groups)', () => {
  let backends: LoopBackends;
  let loop: LocalLoop;
  let result: GroupsResult;
  let dataDir: string;
  const alerts: Buffer[] = [];
  const journal = new VisitJournal();
  let dashboard: FastifyInstance;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'pp-e2e-'));
    backends = await openRealBackends(repoRoot, quiet, () => undefined, {
      developer: 'e2e',
      startServices: false,
    });
    loop = await LocalLoop.start({
      backends,
      journal,
      instruments: ['LATISS'],
      dataDir,
      repoRoot,
      logger: quiet,
      serviceLogLevels: 'lsst.activator=CRITICAL timer.lsst.activator=CRITICAL',
      progress: (line) => process.stdout.write(`[e2e] ${line}\n`),
      timings: { slewSeconds: 1, snapSeconds: 1 },
      workerCount: 3,
      onAlert: (message) => alerts.push(message),
    });
    dashboard = buildDashboard({ journal, archive: loop.archive, apdbCounts: () => loop.apdbCounts() });
    result = await loop.runGroups('LATISS', 3);
  }, 600_000);

  afterAll(async () => {
    await dashboard?.close();
    await loop?.stop();
    await backends?.close();
  });

  it('runs ApPipe for the two groups with templates and finds ≥ 90 % of the SNR ≥ 8 transients', async () => {
    const withTemplate = result.records.filter((r) => r.hasTemplate);
    expect(withTemplate).toHaveLength(2);
    const fwhm = SEEING_FWHM_ARCSEC / poolGeometry('LATISS', 0).pixelScaleArcsec;
    let injected = 0;
    let found = 0;
    for (const record of withTemplate) {
      expect(record.status, record.error).toBe('done');
      expect(record.pipeline).toBe('ApPipe');
      const group = await readGroupRecord(
        (await backends.forInstrument(instrumentByName('LATISS'))).usersBucket,
        record.group,
      );
      const bright = group.detectors[0]?.transients.filter((t) => expectedSnr(t.flux, fwhm) >= 8) ?? [];
      expect(bright.length).toBeGreaterThan(0);
      injected += record.transientsInjected ?? 0;
      found += record.transientsFound ?? 0;
      expect(record.transientsInjected).toBe(group.detectors[0]?.transients.length);
    }
    expect(found / injected).toBeGreaterThanOrEqual(0.9);
  });

  it('falls back for the group without a template and writes no DiaSources for it', () => {
    const [noTemplate] = result.records.filter((r) => r.hasTemplate === false);
    expect(noTemplate?.status, noTemplate?.error).toBe('done');
    expect(noTemplate?.pipeline).not.toBe('ApPipe');
    expect(noTemplate?.fallback).toBe(true);
    expect(noTemplate?.diaSources).toBe(0);
    expect(result.expected).toBe(true);
  });

  it('produces alerts for the first two groups that decode with the v11 schema', () => {
    const schema = loadAlertSchema();
    const decoded = alerts.map(
      (m) => decodeAlert(schema, m) as { diaSource: { visit: bigint; detector: number } },
    );
    for (const record of result.records) {
      const mine = decoded.filter(
        (a) => Number(a.diaSource.visit) === record.visit && a.diaSource.detector === record.detector,
      );
      expect(mine.length).toBe(record.diaSources);
      if (record.hasTemplate) expect(mine.length).toBeGreaterThan(0);
    }
  });

  it('has the defects calibration in the central repo (seeded, or added to an older seeding)', async () => {
    const { central } = await backends.forInstrument(instrumentByName('LATISS'));
    const defects = await central.registry.queryDatasets({
      datasetType: 'defects',
      where: { instrument: 'LATISS', detector: 0 },
    });
    expect(defects.length).toBeGreaterThan(0);
  });

  it('exports what prod exports and the post-ISR image under the pipeline run names, and cleans the local repos', async () => {
    const { central } = await backends.forInstrument(instrumentByName('LATISS'));
    const datasetsOf = async (datasetType: string, where: Record<string, string | number>) =>
      central.registry.queryDatasets({ datasetType, where: { instrument: 'LATISS', ...where } });
    for (const record of result.records) {
      const detector = record.detector;
      const visit = record.visit ?? -1;
      // The fallback's post-ISR image under its run; ApPipe's visit and difference images under its.
      const exported = record.hasTemplate
        ? ['difference_image', 'preliminary_visit_image', 'post_isr_image']
        : ['post_isr_image'];
      for (const datasetType of exported) {
        const where: Record<string, number> =
          datasetType === 'post_isr_image' ? { detector, exposure: visit } : { detector, visit };
        const datasets = await datasetsOf(datasetType, where);
        expect(datasets.length, `${record.group}: no ${datasetType} exported`).toBe(1);
        for (const dataset of datasets)
          expect(dataset.run).toMatch(
            new RegExp(`^LATISS/prompt/output-\\d{4}-\\d{2}-\\d{2}/${record.pipeline}/`),
          );
      }
      if (!record.hasTemplate) continue;
      // The other intermediates (the snaps' sum, the warped and the matched template) are never written.
      expect(await datasetsOf('post_isr_visit_image', { detector, visit })).toHaveLength(0);
      expect(await datasetsOf('template_matched', { detector, visit })).toHaveLength(0);
    }
    const left = (await readdir(join(dataDir, 'local-repos')).catch(() => [])).filter((n) =>
      n.startsWith('visit-'),
    );
    expect(left).toEqual([]);
  });

  it('serves a dashboard that headless Chromium loads: visits, a waterfall, a rendered cutout', async () => {
    const url = await dashboard.listen({ host: '127.0.0.1', port: 0 });
    const opened = result.records.find((r) => r.hasTemplate && (r.diaSources ?? 0) > 0);
    if (!opened) throw new Error('no visit of the run has DIA sources to open');
    const report = await checkDashboard(url, {
      screenshotPath: join(SCREENSHOT_DIR, 'local-loop-e2e.png'),
      expectVisits: 3,
      open: { instrument: opened.instrument, group: opened.group, detector: opened.detector },
    });
    expect(report.steps).toEqual(expect.arrayContaining(['prep', 'wait', 'ingest', 'export']));
    expect(report.diaSources).toBe(opened.diaSources);
    expect(report.cutout.bytes).toBeGreaterThan(0);
    expect(statSync(report.screenshotPath).size).toBeGreaterThan(0);
  }, 120_000);
});
