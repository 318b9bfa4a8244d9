// A small local loop's worth of state for the dashboard tests: synthetic detectors with transients
// (noisy sky, a static star, Gaussian transients, the difference image their residual) go through the
// project's own association and alert code into an APDB, their alerts over an in-process bus into an
// AlertArchive — as the loop wires it — and a VisitJournal holds the visits, with steps, a no-template
// fallback visit and a failed one whose error text is hostile markup.

import type { FastifyInstance } from 'fastify';
import { InProcessBus } from '../../service/adapters/in-memory/in-process-bus';
import { loadAlertSchema } from '../../service/alerts/alert-schema';
import { Apdb } from '../../service/apdb/apdb';
import { apdbTableCounts } from '../../service/dashboard/apdb-counts';
import { buildDashboard } from '../../service/dashboard/dashboard-app';
import { associateVisitDetector, type DiaVisitDetector } from '../../service/dia/associate-visit-detector';
import { apdbLocation } from '../../service/domain/apdb/apdb-location';
import { emptyDiaSourceTable } from '../../service/domain/diffim/dia-source-table';
import { type MaskedImage, maskedImage } from '../../service/domain/image/masked-image';
import { circularPsf } from '../../service/domain/measurement/psf-model';
import { seededRandom } from '../../service/domain/synthetic/random';
import { pixelToSky, tanWcs } from '../../service/domain/wcs/tan-wcs';
import { AlertArchive, countAlertsInJournal } from '../../service/local-loop/alert-archive';
import { VisitJournal, type VisitRecord } from '../../service/local-loop/visit-journal';
import { databaseUrl, expectListening, uniqueName } from './local-services';
import { dropSchema } from './repos';

export interface SyntheticTransient {
  readonly x: number;
  readonly y: number;
  /** Electrons; negative for a source that faded since the template. */
  readonly flux: number;
}

const SIZE = 120;
const SKY = 100;
const NOISE_SIGMA = 5;
const PSF_SIGMA = 2;
/** Where the static star (present in science and template alike) sits. */
export const STATIC_STAR = { x: 25, y: 95, flux: 40_000 } as const;

/** Science, template and difference of one detector, and its DiaSources at the transients. */
export function syntheticDetector(options: {
  readonly visit: bigint;
  readonly detector: number;
  readonly transients: readonly SyntheticTransient[];
  readonly seed: number;
}): DiaVisitDetector {
  const random = seededRandom(options.seed);
  const wcs = tanWcs(150 + options.detector * 0.05, 2, SIZE / 2, SIZE / 2, [-5.5e-5, 0, 0, 5.5e-5]);
  const template = new Float32Array(SIZE * SIZE);
  const science = new Float32Array(SIZE * SIZE);
  const difference = new Float32Array(SIZE * SIZE);
  for (let y = 0; y < SIZE; y++) {
    for (let x = 0; x < SIZE; x++) {
      const i = y * SIZE + x;
      const star = gaussian(x, y, STATIC_STAR);
      // A brightening is in the science image only; a fading source was in the template only.
      let brighter = 0;
      let faded = 0;
      for (const t of options.transients) {
        const flux = gaussian(x, y, t);
        if (t.flux > 0) brighter += flux;
        else faded -= flux;
      }
      template[i] = SKY + star + faded + NOISE_SIGMA * random.normal();
      science[i] = SKY + star + brighter + NOISE_SIGMA * random.normal();
      difference[i] = (science[i] as number) - (template[i] as number);
    }
  }
  const table = emptyDiaSourceTable(options.transients.length);
  const fluxErr = NOISE_SIGMA * Math.sqrt(2) * Math.sqrt(4 * Math.PI) * PSF_SIGMA;
  options.transients.forEach((t, i) => {
    const sky = pixelToSky(wcs, t.x, t.y);
    table.x[i] = t.x;
    table.y[i] = t.y;
    table.ra[i] = sky.ra;
    table.dec[i] = sky.dec;
    table.psfFlux[i] = t.flux;
    table.psfFluxErr[i] = fluxErr;
    table.snr[i] = Math.abs(t.flux) / fluxErr;
    table.isNegative[i] = t.flux < 0 ? 1 : 0;
    table.bboxSize[i] = 15;
  });
  const variance = new Float32Array(SIZE * SIZE).fill(NOISE_SIGMA * NOISE_SIGMA);
  const image = (pixels: Float32Array): MaskedImage => maskedImage(SIZE, SIZE, pixels, variance);
  return {
    visit: options.visit,
    detector: options.detector,
    band: 'r',
    midpointMjdTai: 61000.1,
    diaSources: table,
    difference: image(difference),
    science: image(science),
    matchedTemplate: image(template),
    differencePsf: circularPsf(PSF_SIGMA * 2.3548),
    sciencePsf: circularPsf(PSF_SIGMA * 2.3548),
    wcs,
  };
}

function gaussian(x: number, y: number, source: SyntheticTransient): number {
  const r2 = (x - source.x) ** 2 + (y - source.y) ** 2;
  return (source.flux / (2 * Math.PI * PSF_SIGMA * PSF_SIGMA)) * Math.exp(-r2 / (2 * PSF_SIGMA * PSF_SIGMA));
}

export interface DashboardFixture {
  readonly journal: VisitJournal;
  readonly archive: AlertArchive;
  readonly bus: InProcessBus;
  /** The visit with DIA sources and alerts. */
  readonly withSources: VisitRecord;
  /** The no-template visit that fell back to SingleFrame. */
  readonly fallback: VisitRecord;
  readonly failed: VisitRecord;
  readonly transients: readonly SyntheticTransient[];
}

export const INSTRUMENT = 'LATISS';
export const HOSTILE_ERROR = '<img src=x data-hostile="1"> & <script>window.hostile = 1</script>';
export const TRANSIENTS: readonly SyntheticTransient[] = [
  { x: 60.2, y: 40.7, flux: 6000 },
  { x: 90.4, y: 70.1, flux: 3000 },
  { x: 40.6, y: 60.3, flux: -4000 },
];
const STEPS = [
  { name: 'prep', startSeconds: 0, seconds: 0.8 },
  { name: 'wait', startSeconds: 0.8, seconds: 2.1 },
  { name: 'ingest', startSeconds: 2.9, seconds: 0.3 },
  { name: 'task:isr', startSeconds: 3.2, seconds: 1.1 },
  { name: 'task:subtractImages', startSeconds: 4.3, seconds: 1.6 },
  { name: 'task:associateApdb', startSeconds: 5.9, seconds: 0.4 },
  { name: 'export', startSeconds: 6.3, seconds: 0.5 },
];

/**
 * Journal and archive of three LATISS visits: one processed by ApPipe through association into `apdb`
 * (alerts over the bus into the archive), one fallback with no template, one failed.
 */
export async function dashboardFixture(apdb: Apdb, alertTopic: string): Promise<DashboardFixture> {
  const journal = new VisitJournal();
  const archive = new AlertArchive();
  archive.onAlert(countAlertsInJournal(journal));
  const bus = new InProcessBus();
  bus.subscribe(alertTopic, (record) => {
    archive.add(Buffer.from(record.value), INSTRUMENT);
  });

  const visit = 2026112800101n;
  const withSources = journal.entry(INSTRUMENT, '2026-11-28T01', 0);
  Object.assign(withSources, { visit: Number(visit), expectedPipeline: 'ApPipe', hasTemplate: true });
  journal.started(withSources);
  withSources.steps.push(...STEPS);
  const input = syntheticDetector({ visit, detector: 0, transients: TRANSIENTS, seed: 7 });
  const result = await associateVisitDetector(
    { apdb, publisher: bus, alertTopic, alertSchema: loadAlertSchema(), nowMjdTai: () => 61000.2 },
    input,
  );
  await bus.drain();
  Object.assign(withSources, { diaSources: result.diaSources, transientsInjected: TRANSIENTS.length });
  journal.finished(withSources, { pipeline: 'ApPipe', httpStatus: 200 });

  const fallback = journal.entry(INSTRUMENT, '2026-11-28T02', 0);
  Object.assign(fallback, { visit: 2026112800102, expectedPipeline: 'ApPipe', hasTemplate: false });
  journal.started(fallback);
  fallback.steps.push(...STEPS.filter((s) => !s.name.includes('subtract') && !s.name.includes('associate')));
  Object.assign(fallback, { diaSources: 0, transientsInjected: 2 });
  journal.finished(fallback, { pipeline: 'SingleFrame', httpStatus: 200 });

  const failed = journal.entry(INSTRUMENT, '2026-11-28T03', 0);
  journal.started(failed);
  journal.failed(failed, 500, HOSTILE_ERROR);
  return { journal, archive, bus, withSources, fallback, failed, transients: TRANSIENTS };
}

export interface DashboardUnderTest {
  readonly apdb: Apdb;
  readonly fixture: DashboardFixture;
  readonly app: FastifyInstance;
  /** Closes the app and the APDB and drops the APDB's schema. */
  close(): Promise<void>;
}

/** The fixture over an APDB in a fresh schema of the local PostgreSQL, and a dashboard over both. */
export async function dashboardOverPostgres(title: string): Promise<DashboardUnderTest> {
  await expectListening('PostgreSQL', '127.0.0.1:5432');
  const namespace = uniqueName('it_dash').replace(/-/g, '_');
  const apdb = await Apdb.open(apdbLocation(databaseUrl(), namespace));
  await apdb.create();
  const fixture = await dashboardFixture(apdb, 'latiss-alerts');
  const app = buildDashboard({
    journal: fixture.journal,
    archive: fixture.archive,
    apdbCounts: () => apdbTableCounts(apdb),
    title,
  });
  return {
    apdb,
    fixture,
    app,
    close: async () => {
      await app.close();
      await apdb.close();
      await dropSchema(namespace);
    },
  };
}
