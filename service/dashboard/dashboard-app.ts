// The local loop's dashboard: a fastify app over the visit journal and the alert archive. It serves
// one static page (HTML, one script, one stylesheet from ./static, no build step) and the JSON it
// polls: visits per instrument, one visit's steps and DIA sources, APDB counts, recent errors, and
// each DiaSource's cutouts rendered to PNG. It only reads; the caller decides where it listens
// (127.0.0.1 in the loop).

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Fastify, { type FastifyError, type FastifyInstance } from 'fastify';
import { FitsError } from '../domain/fits';
import { type AlertArchive, CUTOUT_KINDS, type CutoutKind } from '../local-loop/alert-archive';
import type { VisitJournal } from '../local-loop/visit-journal';
import { CutoutImageError, cutoutPng } from './cutout-png';
import { detectorView, visitsByInstrument } from './dashboard-views';

export interface DashboardOptions {
  readonly journal: VisitJournal;
  readonly archive: AlertArchive;
  /** Row counts per APDB table (see apdbTableCounts). @default - /api/apdb reports no APDB */
  readonly apdbCounts?: () => Promise<Record<string, number>>;
  /** Shown as the page's heading. @default 'Prompt Processing' */
  readonly title?: string;
  /** @default false */
  readonly logger?: boolean;
  /**
   * The page's files. tsc does not copy them to build/, so a compiled service would pass the source's.
   * @default - static/ beside this module
   */
  readonly staticDir?: string;
}

const STATIC_FILES = {
  '/': { file: 'index.html', type: 'text/html; charset=utf-8' },
  '/static/dashboard.js': { file: 'dashboard.js', type: 'text/javascript; charset=utf-8' },
  '/static/dashboard.css': { file: 'dashboard.css', type: 'text/css; charset=utf-8' },
} as const;

/** Scripts and styles only from this origin: rendered text can never become markup or code. */
const CONTENT_SECURITY_POLICY =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'none'";

class NotFound extends Error {
  override readonly name = 'NotFound';
}

export function buildDashboard(options: DashboardOptions): FastifyInstance {
  const { journal, archive } = options;
  const title = options.title ?? 'Prompt Processing';
  const app = Fastify({ logger: options.logger ?? false });

  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (error instanceof NotFound)
      return reply.code(404).send({ error: 'Not Found', message: error.message });
    if (error instanceof CutoutImageError || error instanceof FitsError)
      return reply
        .code(422)
        .send({ error: 'Unprocessable Entity', message: `cutout not renderable: ${error.message}` });
    const status = error.statusCode ?? 500;
    if (status >= 500) request.log.error({ err: error }, 'dashboard failure');
    return reply
      .code(status)
      .send({ error: status >= 500 ? 'Internal Server Error' : 'Bad Request', message: error.message });
  });
  app.setNotFoundHandler((request, reply) =>
    reply.code(404).send({ error: 'Not Found', message: `no route ${request.method} ${request.url}` }),
  );
  app.addHook('onSend', async (_request, reply) => {
    reply.header('content-security-policy', CONTENT_SECURITY_POLICY);
    reply.header('x-content-type-options', 'nosniff');
  });

  for (const [path, { file, type }] of Object.entries(STATIC_FILES)) {
    const body = readFileSync(join(options.staticDir ?? join(__dirname, 'static'), file));
    app.get(path, async (_request, reply) => reply.type(type).header('cache-control', 'no-cache').send(body));
  }

  // Browsers ask for it on their own; an empty answer keeps their consoles free of 404s.
  app.get('/favicon.ico', async (_request, reply) => reply.code(204).send());

  app.get('/api/visits', async () => ({
    title,
    generatedAt: Date.now(),
    instruments: visitsByInstrument(journal, archive),
  }));

  app.get<{ Params: { instrument: string; group: string; detector: number } }>(
    '/api/visits/:instrument/:group/:detector',
    {
      schema: {
        params: {
          type: 'object',
          properties: {
            instrument: { type: 'string', minLength: 1 },
            group: { type: 'string', minLength: 1 },
            detector: { type: 'integer', minimum: 0 },
          },
          required: ['instrument', 'group', 'detector'],
        },
      },
    },
    async (request) => {
      const { instrument, group, detector } = request.params;
      const record = journal.find(instrument, group, detector);
      if (!record) throw new NotFound(`no visit ${instrument}/${group}/${detector} in the journal`);
      return detectorView(record, archive);
    },
  );

  app.get('/api/apdb', async () => {
    // 200 either way: the page polls this, and a dashboard without an APDB is not an error.
    if (!options.apdbCounts) return { tables: null, message: 'this dashboard has no APDB attached' };
    return { tables: await options.apdbCounts() };
  });

  app.get('/api/errors', async () => ({
    visits: journal.errors(),
    alerts: { ...archive.stats(), recent: archive.errors() },
  }));

  app.get<{ Params: { diaSourceId: string; kind: string } }>(
    '/cutouts/:diaSourceId/:kind.png',
    {
      schema: {
        params: {
          type: 'object',
          properties: { diaSourceId: { type: 'string', pattern: '^[0-9]+$' }, kind: { type: 'string' } },
          required: ['diaSourceId', 'kind'],
        },
      },
    },
    async (request, reply) => {
      const { diaSourceId, kind } = request.params;
      if (!isCutoutKind(kind)) throw new NotFound(`no cutout kind "${kind}": use ${CUTOUT_KINDS.join(', ')}`);
      const source = archive.diaSource(diaSourceId);
      if (!source)
        throw new NotFound(`no DiaSource ${diaSourceId} in the alert archive (never seen, or evicted)`);
      const fits = source.cutouts[kind];
      if (!fits) throw new NotFound(`the alert of DiaSource ${diaSourceId} carried no ${kind} cutout`);
      // A DiaSource's cutouts never change once its alert is sent.
      return reply.type('image/png').header('cache-control', 'max-age=3600').send(cutoutPng(fits, kind));
    },
  );

  return app;
}

function isCutoutKind(kind: string): kind is CutoutKind {
  return (CUTOUT_KINDS as readonly string[]).includes(kind);
}
