// The dashboard's archive and routes over real alerts: synthetic detectors go through association into
// a PostgreSQL APDB, their alerts over the in-process bus into the AlertArchive, and every route is
// asked through fastify's inject — visits, one visit's view, APDB counts, errors, cutout PNGs, 404s.

import type { FastifyInstance } from 'fastify';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InProcessBus } from '../../service/adapters/in-memory/in-process-bus';
import { decodeAlert, encodeAlert } from '../../service/alerts/alert-packet';
import { loadAlertSchema } from '../../service/alerts/alert-schema';
import type { Apdb } from '../../service/apdb/apdb';
import { buildDashboard } from '../../service/dashboard/dashboard-app';
import { associateVisitDetector } from '../../service/dia/associate-visit-detector';
import { readFits } from '../../service/domain/fits';
import { AlertArchive } from '../../service/local-loop/alert-archive';
import {
  type DashboardFixture,
  type DashboardUnderTest,
  dashboardOverPostgres,
  HOSTILE_ERROR,
  syntheticDetector,
} from '../support/dashboard-fixtures';

const schema = loadAlertSchema();
let apdb: Apdb;
let fixture: DashboardFixture;
let app: FastifyInstance;
let served: DashboardUnderTest | undefined;

beforeAll(async () => {
  served = await dashboardOverPostgres('test loop');
  ({ apdb, fixture, app } = served);
});

afterAll(async () => {
  await served?.close();
});

/** Framed alerts of one more visit-detector, through association into the same APDB. */
async function alertsOf(visit: bigint, detector: number, fluxes: readonly number[]): Promise<Buffer[]> {
  const bus = new InProcessBus();
  const messages: Buffer[] = [];
  bus.subscribe('alerts', (record) => {
    messages.push(Buffer.from(record.value));
  });
  const transients = fluxes.map((flux, i) => ({ x: 30 + 25 * i, y: 50, flux }));
  const input = syntheticDetector({ visit, detector, transients, seed: detector });
  await associateVisitDetector(
    { apdb, publisher: bus, alertTopic: 'alerts', nowMjdTai: () => 61000.3 },
    input,
  );
  await bus.drain();
  return messages;
}

function diaSourceIdOf(message: Buffer): string {
  return String(decodeAlert(schema, message).diaSourceId);
}

describe('AlertArchive', () => {
  it('keeps each alert’s DiaSource at the injected position, with its sign and three FITS cutouts', () => {
    const visit = fixture.withSources.visit as number;
    const sources = fixture.archive.diaSources(visit, 0, 'LATISS');
    expect(sources).toHaveLength(fixture.transients.length);
    const byX = [...sources].sort((a, b) => a.x - b.x);
    const expected = [...fixture.transients].sort((a, b) => a.x - b.x);
    byX.forEach((source, i) => {
      expect(source.x).toBeCloseTo(expected[i]?.x as number, 3);
      expect(source.y).toBeCloseTo(expected[i]?.y as number, 3);
      expect(source.isNegative).toBe((expected[i]?.flux as number) < 0);
      expect(source.snr).toBeGreaterThan(10);
      expect(source.visit).toBe(visit);
      for (const kind of ['science', 'template', 'difference'] as const) {
        const hdu = readFits(source.cutouts[kind] as Uint8Array).hdus[0];
        expect(hdu?.kind === 'image' && hdu.axes).toEqual([30, 30]);
      }
      expect(fixture.archive.diaSource(source.diaSourceId)).toBe(source);
    });
    expect(fixture.archive.diaSources(visit, 0, 'LSSTCam')).toEqual([]);
    expect(fixture.archive.stats()).toMatchObject({ alerts: 3, decodeErrors: 0, visitDetectors: 1 });
  });

  it('bumps the alert count of the journal record with the same visit and detector', () => {
    expect(fixture.withSources.alerts).toBe(fixture.transients.length);
    expect(fixture.fallback.alerts).toBe(0);
  });

  it('counts a message that does not decode instead of throwing', () => {
    const archive = new AlertArchive({ schema });
    expect(archive.add(Buffer.from('not an alert'), 'LATISS')).toBeUndefined();
    const wrongSchema = Buffer.from([0, 0, 0, 0, 7, 1, 2, 3]);
    expect(archive.add(wrongSchema)).toBeUndefined();
    expect(archive.stats()).toMatchObject({ alerts: 0, decodeErrors: 2, visitDetectors: 0 });
    const [newest, oldest] = archive.errors();
    expect(newest?.message).toMatch(/schema id 7/);
    expect(oldest).toMatchObject({ instrument: 'LATISS', bytes: 12 });
    expect(oldest?.message).toMatch(/Confluent/);
  });

  it('evicts the oldest visit-detectors past its count and its byte budget', async () => {
    const batches = [
      await alertsOf(2026112800201n, 1, [5000]),
      await alertsOf(2026112800201n, 2, [5000, 4000]),
      await alertsOf(2026112800202n, 1, [6000]),
    ];
    const byCount = new AlertArchive({ schema, maxVisitDetectors: 2 });
    for (const message of batches.flat()) byCount.add(message);
    expect(byCount.diaSources(2026112800201, 1)).toEqual([]);
    expect(byCount.diaSource(diaSourceIdOf(batches[0]?.[0] as Buffer))).toBeUndefined();
    expect(byCount.diaSources(2026112800201, 2)).toHaveLength(2);
    expect(byCount.diaSources(2026112800202, 1)).toHaveLength(1);

    const oneDetector = byCount.stats().cutoutBytes / 3;
    const byBytes = new AlertArchive({ schema, maxCutoutBytes: Math.floor(1.5 * oneDetector) });
    for (const message of batches.flat()) byBytes.add(message);
    expect(byBytes.stats()).toMatchObject({ alerts: 4, visitDetectors: 1 });
    expect(byBytes.diaSources(2026112800202, 1)).toHaveLength(1);
  });

  it('keeps one copy of a DiaSource whose alert is sent again', async () => {
    const [message] = await alertsOf(2026112800203n, 3, [7000]);
    const archive = new AlertArchive({ schema });
    const calls: string[] = [];
    archive.onAlert((source) => calls.push(source.diaSourceId));
    archive.add(message as Buffer);
    const bytes = archive.stats().cutoutBytes;
    archive.add(message as Buffer);
    expect(archive.diaSources(2026112800203, 3)).toHaveLength(1);
    expect(archive.stats()).toMatchObject({ alerts: 2, cutoutBytes: bytes });
    expect(calls).toHaveLength(2);
  });
});

describe('dashboard routes', () => {
  const visitPath = () => `/api/visits/LATISS/${encodeURIComponent(fixture.withSources.group)}/0`;

  it('serves the page, its script and stylesheet with a policy that forbids inline code', async () => {
    const page = await app.inject('/');
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toMatch(/text\/html/);
    expect(page.body).toContain('data-testid="visits"');
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    const script = await app.inject('/static/dashboard.js');
    expect(script.statusCode).toBe(200);
    expect(script.headers['content-type']).toMatch(/javascript/);
    expect(script.body).not.toContain('innerHTML');
    expect((await app.inject('/static/dashboard.css')).headers['content-type']).toMatch(/text\/css/);
  });

  it('lists the visits per instrument with status, pipeline, fallback, DIA sources and alerts', async () => {
    const response = await app.inject('/api/visits');
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body.title).toBe('test loop');
    expect(body.instruments).toHaveLength(1);
    const [latiss] = body.instruments;
    expect(latiss.instrument).toBe('LATISS');
    expect(latiss.visits.map((v: { status: string }) => v.status)).toEqual(['done', 'done', 'failed']);
    expect(latiss.visits[0]).toMatchObject({
      pipeline: 'ApPipe',
      fallback: false,
      diaSources: 3,
      transientsInjected: 3,
      alerts: 3,
      archivedDiaSources: 3,
    });
    expect(latiss.visits[0].totalSeconds).toBeGreaterThanOrEqual(0);
    expect(latiss.visits[1]).toMatchObject({
      pipeline: 'SingleFrame',
      fallback: true,
      archivedDiaSources: 0,
    });
    expect(latiss.visits[2]).toMatchObject({ httpStatus: 500, error: HOSTILE_ERROR });
  });

  it('shows one visit with its steps and its DIA sources, cutouts as URLs', async () => {
    const response = await app.inject(visitPath());
    expect(response.statusCode).toBe(200);
    const view = response.json();
    expect(view.steps.map((s: { name: string }) => s.name)).toEqual(
      fixture.withSources.steps.map((s) => s.name),
    );
    expect(view.diaSources).toHaveLength(3);
    const [first] = view.diaSources;
    expect(Object.keys(first.cutouts).sort()).toEqual(['difference', 'science', 'template']);
    expect(first.cutouts.science).toBe(`/cutouts/${first.diaSourceId}/science.png`);
    expect(response.body.length).toBeLessThan(10_000);
  });

  it('answers 404 for a visit it does not know and 400 for a detector that is not a number', async () => {
    const unknown = await app.inject('/api/visits/LATISS/no-such-group/0');
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().message).toMatch(/no visit LATISS\/no-such-group\/0/);
    expect((await app.inject('/api/visits/LATISS/g/zero')).statusCode).toBe(400);
    expect((await app.inject('/api/nothing')).statusCode).toBe(404);
  });

  it('reports the APDB counts read from PostgreSQL, and says when there is no APDB', async () => {
    const response = await app.inject('/api/apdb');
    expect(response.statusCode).toBe(200);
    const direct = (await apdb.status()).rowCounts;
    expect(response.json().tables).toEqual({
      DiaObject: direct.DiaObject,
      DiaObjectLast: direct.DiaObjectLast,
      DiaSource: direct.DiaSource,
      DiaForcedSource: direct.DiaForcedSource,
    });
    expect(response.json().tables.DiaSource).toBeGreaterThanOrEqual(3);
    const bare = buildDashboard({ journal: fixture.journal, archive: fixture.archive });
    const missing = await bare.inject('/api/apdb');
    expect(missing.statusCode).toBe(200);
    expect(missing.json()).toEqual({ tables: null, message: 'this dashboard has no APDB attached' });
    await bare.close();
  });

  it('lists recent errors with the alert decode statistics', async () => {
    const body = (await app.inject('/api/errors')).json();
    expect(body.visits).toHaveLength(1);
    expect(body.visits[0]).toMatchObject({
      instrument: 'LATISS',
      group: '2026-11-28T03',
      message: HOSTILE_ERROR,
    });
    expect(body.alerts).toMatchObject({ alerts: 3, decodeErrors: 0, recent: [] });
  });

  it('renders each cutout kind to a PNG, the transient bright in the science and signed in the difference', async () => {
    const sources = fixture.archive.diaSources(fixture.withSources.visit as number, 0);
    const positive = sources.find((s) => !s.isNegative && s.snr > 50);
    const negative = sources.find((s) => s.isNegative);
    const centre = async (id: string, kind: string) => {
      const response = await app.inject(`/cutouts/${id}/${kind}.png`);
      expect(response.statusCode).toBe(200);
      expect(response.headers['content-type']).toBe('image/png');
      const png = PNG.sync.read(response.rawPayload);
      expect([png.width, png.height]).toEqual([120, 120]);
      // The source sits at cutout pixel (15, 15) of 30; ×4 and flipped: PNG (61, 58).
      return [png.data[(58 * 120 + 61) * 4] as number, png.data[(4 * 120 + 4) * 4] as number];
    };
    const [scienceCentre, scienceCorner] = await centre(positive?.diaSourceId as string, 'science');
    expect(scienceCentre).toBeGreaterThan((scienceCorner as number) + 100);
    const [templateCentre] = await centre(positive?.diaSourceId as string, 'template');
    expect(templateCentre).toBeLessThan(scienceCentre as number);
    const [differenceUp, differenceSky] = await centre(positive?.diaSourceId as string, 'difference');
    expect(differenceUp).toBeGreaterThan(200);
    expect(Math.abs((differenceSky as number) - 128)).toBeLessThan(40);
    const [differenceDown] = await centre(negative?.diaSourceId as string, 'difference');
    expect(differenceDown).toBeLessThan(60);
  });

  it('answers 404 with the reason for an unknown DiaSource or cutout kind, 422 for an unreadable cutout', async () => {
    const id = fixture.archive.diaSources(fixture.withSources.visit as number, 0)[0]?.diaSourceId as string;
    const kind = await app.inject(`/cutouts/${id}/psf.png`);
    expect(kind.statusCode).toBe(404);
    expect(kind.json().message).toMatch(/no cutout kind "psf": use science, template, difference/);
    const source = await app.inject('/cutouts/12345/science.png');
    expect(source.statusCode).toBe(404);
    expect(source.json().message).toMatch(/no DiaSource 12345/);

    const [message] = await alertsOf(2026112800204n, 4, [8000]);
    const record = decodeAlert(schema, message as Buffer);
    const archive = new AlertArchive({ schema });
    archive.add(
      encodeAlert(schema, {
        ...record,
        cutoutScience: Buffer.from('SIMPLE  =  broken'),
        cutoutTemplate: null,
      }),
    );
    const broken = buildDashboard({ journal: fixture.journal, archive });
    const unreadable = await broken.inject(`/cutouts/${record.diaSourceId}/science.png`);
    expect(unreadable.statusCode).toBe(422);
    expect(unreadable.json().message).toMatch(/cutout not renderable/);
    const absent = await broken.inject(`/cutouts/${record.diaSourceId}/template.png`);
    expect(absent.statusCode).toBe(404);
    expect(absent.json().message).toMatch(/carried no template cutout/);
    expect((await broken.inject(`/cutouts/${record.diaSourceId}/difference.png`)).statusCode).toBe(200);
    await broken.close();
  });
});
