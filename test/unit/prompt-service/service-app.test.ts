// The HTTP contract of POST /next-visit and the operator endpoints, on the real fastify app. The
// processor behind the port is a small recorder: what is under test here is the edge.
import { CloudEvent, HTTP } from 'cloudevents';
import type { FastifyInstance } from 'fastify';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import type { FannedOutVisit } from '../../../service/domain/next-visit';
import { utcToTai } from '../../../service/domain/tai';
import type { VisitContext, VisitOutcome, VisitProcessor } from '../../../service/ports/visit-processor';
import { buildServiceApp, type ServiceAppOptions } from '../../../service/prompt-service/service-app';
import {
  IgnorableVisitError,
  NonRetriableVisitError,
  RetriableVisitError,
} from '../../../service/prompt-service/visit-errors';
import { summitVisit } from '../../support/next-visit-fixtures';

const NOW = 1_795_849_200; // UTC seconds the test clock reports

function visit(overrides: Partial<FannedOutVisit> = {}): FannedOutVisit {
  return { ...summitVisit(NOW), detector: 0, ...overrides };
}

class RecordingProcessor implements VisitProcessor {
  readonly visits: FannedOutVisit[] = [];
  constructor(
    private readonly behaviour: (
      visit: FannedOutVisit,
      context: VisitContext,
    ) => Promise<VisitOutcome> = async () => ({
      pipeline: 'ApPipe',
    }),
  ) {}
  processVisit(v: FannedOutVisit, context: VisitContext): Promise<VisitOutcome> {
    this.visits.push(v);
    return this.behaviour(v, context);
  }
}

let app: FastifyInstance | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

function start(processor: VisitProcessor, extra: Partial<ServiceAppOptions> = {}): FastifyInstance {
  app = buildServiceApp({
    processor,
    instrument: 'LATISS',
    messageExpirationSeconds: 600,
    workerTimeoutSeconds: 5,
    logger: pino({ level: 'silent' }),
    version: { version: '0.1.0', commit: 'abc1234', deployment: 'local-test' },
    clock: { nowUtcSeconds: () => NOW },
    ...extra,
  });
  return app;
}

function structured(data: unknown) {
  const message = HTTP.structured(new CloudEvent({ type: 'com.example.kafka', source: 'next-visit', data }));
  return { headers: message.headers as Record<string, string>, payload: String(message.body) };
}

async function post(server: FastifyInstance, request: { headers: Record<string, string>; payload: string }) {
  const response = await server.inject({ method: 'POST', url: '/next-visit', ...request });
  return {
    status: response.statusCode,
    headers: response.headers,
    body: response.json() as Record<string, unknown>,
  };
}

describe('POST /next-visit', () => {
  it('processes a structured CloudEvent whose data is a JSON string, as the fan-out sends it', async () => {
    const processor = new RecordingProcessor();
    const answer = await post(start(processor), structured(JSON.stringify(visit())));
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ result: 'success', pipeline: 'ApPipe' });
    expect(processor.visits).toEqual([visit()]);
  });

  it('takes the data as a JSON object too', async () => {
    const processor = new RecordingProcessor();
    expect((await post(start(processor), structured(visit({ detector: 0 })))).status).toBe(200);
    expect(processor.visits[0]?.detector).toBe(0);
  });

  it('takes a binary-mode CloudEvent', async () => {
    const processor = new RecordingProcessor();
    const message = HTTP.binary(
      new CloudEvent({ type: 'com.example.kafka', source: 'next-visit', data: visit() }),
    );
    const answer = await post(start(processor), {
      headers: message.headers as Record<string, string>,
      payload: String(message.body),
    });
    expect(answer.status).toBe(200);
    expect(processor.visits).toHaveLength(1);
  });

  it.each([
    [
      'a plain JSON body that is no CloudEvent',
      { headers: { 'content-type': 'application/json' }, payload: JSON.stringify(visit()) },
      /not a CloudEvent/,
    ],
    [
      'malformed JSON',
      { headers: { 'content-type': 'application/cloudevents+json' }, payload: '{"specversion": "1.0",' },
      /not a CloudEvent/,
    ],
    ['data that is not JSON', structured('{nope'), /data is not valid JSON/],
    [
      'an unknown field',
      structured(JSON.stringify({ ...visit(), extra: true })),
      /unknown field\(s\): extra/,
    ],
    ['a wrong type', structured(JSON.stringify({ ...visit(), detector: '0' })), /detector/],
    ['no data', structured(undefined), /carries no data/],
    [
      'a huge body',
      structured(JSON.stringify({ ...visit(), survey: 'x'.repeat(100_000) })),
      /larger than 65536 bytes/,
    ],
  ])('fails on %s with 400 and processes nothing', async (_what, request, reason) => {
    const processor = new RecordingProcessor();
    const answer = await post(start(processor), request);
    expect(answer.status).toBe(400);
    expect(String(answer.body.message)).toMatch(reason);
    expect(processor.visits).toEqual([]);
  });

  it('answers a refusal with exactly the error body, serialized from the route schema', async () => {
    const response = await start(new RecordingProcessor()).inject({
      method: 'POST',
      url: '/next-visit',
      ...structured(JSON.stringify({ ...visit(), 'odd "field"': 1 })),
    });
    expect(response.statusCode).toBe(400);
    expect(response.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(response.body).toBe(
      '{"error":"invalid","message":"not a FannedOutVisit: unknown field(s): odd \\"field\\"","retrySafe":false}',
    );
  });

  it.each([
    ['application/cloudevents+json; charset=utf-8'],
    ['application/cloudevents+json'],
    ['text/plain'],
  ])('reads a body sent as %s as text, on every request alike', async (contentType) => {
    const server = start(new RecordingProcessor());
    const request = { ...structured(JSON.stringify({ ...visit(), extra: 1 })) };
    request.headers = { ...request.headers, 'content-type': contentType };
    const answers = [await post(server, request), await post(server, request)];
    const structuredMode = contentType.startsWith('application/cloudevents+json');
    for (const answer of answers) {
      expect(answer.status).toBe(400);
      expect(String(answer.body.message)).toMatch(
        structuredMode ? /unknown field\(s\): extra/ : /not a CloudEvent/,
      );
    }
  });

  it("logs a refusal with the request's id and counts it", async () => {
    const lines: Array<Record<string, unknown>> = [];
    const server = start(new RecordingProcessor(), {
      logger: pino({ level: 'info' }, { write: (line: string) => lines.push(JSON.parse(line)) }),
    });
    await post(server, structured(JSON.stringify({ ...visit(), extra: true })));
    await post(server, structured(JSON.stringify({ ...visit(), extra: true })));
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatchObject({ level: 40, result: 'invalid', statusCode: 400 });
    expect(lines[0]?.reqId).toEqual(expect.any(String));
    expect(lines[1]?.reqId).not.toBe(lines[0]?.reqId);
    const metrics = (await server.inject({ url: '/metrics' })).body;
    expect(metrics).toMatch(/prompt_next_visit_requests_total\{result="invalid"\} 2/);
  });

  it('fails a visit older than MESSAGE_EXPIRATION with 403, and takes one just inside it', async () => {
    const processor = new RecordingProcessor();
    const server = start(processor, { messageExpirationSeconds: 600 });
    const stale = await post(server, structured(visit({ private_sndStamp: utcToTai(NOW - 600.1) })));
    expect(stale.status).toBe(403);
    expect(String(stale.body.message)).toMatch(/^Stale request, ignoring/);
    expect((await post(server, structured(visit({ private_sndStamp: utcToTai(NOW - 599.9) })))).status).toBe(
      200,
    );
    expect(processor.visits).toHaveLength(1);
  });

  it("fails another instrument's visit with 422", async () => {
    const processor = new RecordingProcessor();
    const answer = await post(start(processor), structured(visit({ instrument: 'HSC' })));
    expect(answer.status).toBe(422);
    expect(processor.visits).toEqual([]);
  });

  it.each([
    [new IgnorableVisitError('no pipeline for survey X'), 422, undefined, false],
    [new RetriableVisitError('Timed out before the pipeline ran'), 503, '30', true],
    [new NonRetriableVisitError('APDB written, export failed'), 500, undefined, false],
    [new Error('Timed out waiting for images.'), 500, undefined, false],
  ])('maps %s to its status', async (error, status, retryAfter, retrySafe) => {
    const answer = await post(
      start(
        new RecordingProcessor(async () => {
          throw error;
        }),
      ),
      structured(visit()),
    );
    expect(answer.status).toBe(status);
    expect(answer.headers['retry-after']).toBe(retryAfter);
    expect(answer.body).toMatchObject({ message: error.message, retrySafe });
  });

  it('aborts processing after WORKER_TIMEOUT through the signal', async () => {
    const processor = new RecordingProcessor(
      (_v, { signal }) =>
        new Promise((_resolve, reject) => {
          signal.addEventListener('abort', () =>
            reject(new RetriableVisitError('interrupted before the pipeline ran')),
          );
        }),
    );
    const started = Date.now();
    const answer = await post(start(processor, { workerTimeoutSeconds: 0.2 }), structured(visit()));
    expect(answer.status).toBe(503);
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it('aborts processing on shutdown', async () => {
    const shutdown = new AbortController();
    let sawAbort = false;
    const processor = new RecordingProcessor(
      (_v, { signal }) =>
        new Promise((_resolve, reject) => {
          signal.addEventListener('abort', () => {
            sawAbort = true;
            reject(new NonRetriableVisitError('stopped after the APDB was written'));
          });
          setTimeout(() => shutdown.abort(), 50);
        }),
    );
    const answer = await post(start(processor, { shutdownSignal: shutdown.signal }), structured(visit()));
    expect(sawAbort).toBe(true);
    expect(answer.status).toBe(500);
    expect(answer.body.retrySafe).toBe(false);
  });

  it('refuses a second visit while WORKER_COUNT are in flight, with 503', async () => {
    let release: () => void = () => undefined;
    const processor = new RecordingProcessor(
      () =>
        new Promise((resolve) => {
          release = () => resolve({ pipeline: 'Isr' });
        }),
    );
    const server = start(processor, { workerCount: 1 });
    const first = post(server, structured(visit()));
    await new Promise((r) => setTimeout(r, 20));
    const second = await post(server, structured(visit({ detector: 0, groupId: 'other' })));
    expect(second.status).toBe(503);
    release();
    expect((await first).status).toBe(200);
  });
});

describe('operator endpoints', () => {
  it('serves health, readiness, version and metrics', async () => {
    const server = start(new RecordingProcessor(), { isReady: async () => false });
    expect((await server.inject({ url: '/healthz' })).statusCode).toBe(200);
    expect((await server.inject({ url: '/readyz' })).statusCode).toBe(503);
    expect((await server.inject({ url: '/version' })).json()).toEqual({
      version: '0.1.0',
      commit: 'abc1234',
      deployment: 'local-test',
    });
    await post(server, structured(visit()));
    await post(server, structured(visit({ instrument: 'HSC' })));
    const metrics = (await server.inject({ url: '/metrics' })).body;
    expect(metrics).toMatch(/prompt_next_visit_requests_total\{result="success"\} 1/);
    expect(metrics).toMatch(/prompt_next_visit_requests_total\{result="ignored"\} 1/);
    expect(metrics).toMatch(/prompt_step_duration_seconds_count\{step="total"\} 1/);
    expect(metrics).toMatch(/prompt_requests_in_flight 0/);
  });
});
