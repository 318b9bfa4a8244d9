// The prompt service's HTTP edge (upstream's Knative contract): POST /next-visit takes one detector's
// FannedOutVisit as a CloudEvent and answers 200/400/403/422/500/503 as upstream does; GET /healthz,
// /readyz, /version and /metrics serve operators. Processing itself is behind the VisitProcessor port.
import Fastify, {
  type FastifyBaseLogger,
  type FastifyError,
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
  LogController,
} from 'fastify';
import type { FannedOutVisit } from '../domain/next-visit';
import { visitAgeSeconds } from '../domain/next-visit';
import { dayObsOf } from '../domain/tai';
import { type Clock, systemClock, type VisitProcessor } from '../ports/visit-processor';
import { lazyRequestLoggers } from './lazy-request-logger';
import { nextVisitReplies } from './next-visit-replies';
import { RefusalLog } from './refusal-log';
import { ServiceMetrics } from './service-metrics';
import { takeBodiesAsText } from './text-bodies';
import { InvalidRequestError, RetriableVisitError, statusOf, type VisitStatus } from './visit-errors';
import { readVisitRequest } from './visit-from-cloud-event';

export interface ServiceVersion {
  readonly version: string;
  readonly commit: string;
  readonly imageDigest?: string;
  readonly deployment: string;
}

export interface ServiceAppOptions {
  readonly processor: VisitProcessor;
  /** RUBIN_INSTRUMENT: visits for other instruments are refused (422). */
  readonly instrument: string;
  /** MESSAGE_EXPIRATION in seconds. */
  readonly messageExpirationSeconds: number;
  /** WORKER_TIMEOUT in seconds: processing is aborted after it. */
  readonly workerTimeoutSeconds: number;
  /** WORKER_COUNT: requests processed at once; more get 503. @default 1 */
  readonly workerCount?: number;
  readonly logger: FastifyBaseLogger;
  readonly version: ServiceVersion;
  /** Aborted on SIGTERM: in-flight processing stops and answers whether a retry is safe. */
  readonly shutdownSignal?: AbortSignal;
  /** @default 65536 */
  readonly bodyLimitBytes?: number;
  /** Extra readiness check (e.g. Kafka and the central repo reachable). @default - always ready */
  readonly isReady?: () => Promise<boolean>;
  /** @default the system clock */
  readonly clock?: Clock;
  /** @default - a registry of its own */
  readonly metrics?: ServiceMetrics;
  /** Refusals (400, 403, 422) logged per second at most; the rest are counted. @default 10 */
  readonly refusalLogLinesPerSecond?: number;
}

const INVALID: VisitStatus = { statusCode: 400, result: 'invalid' };
const STALE: VisitStatus = { statusCode: 403, result: 'stale' };
const IGNORED: VisitStatus = { statusCode: 422, result: 'ignored' };

/** MDC fields upstream puts on every log line of a visit. */
function visitLogFields(visit: FannedOutVisit) {
  return {
    instrument: visit.instrument,
    group: visit.groupId,
    detector: visit.detector,
    survey: visit.survey,
    day_obs: dayObsOf(visit.private_sndStamp),
  };
}

/** Fastify's own request errors (body too large, bad content length, …) are bad requests as well. */
function asVisitError(error: FastifyError, bodyLimit: number): Error {
  if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
    return new InvalidRequestError(`request body larger than ${bodyLimit} bytes`);
  }
  if (error.statusCode !== undefined && error.statusCode < 500) return new InvalidRequestError(error.message);
  return error;
}

export function buildServiceApp(options: ServiceAppOptions): FastifyInstance {
  const bodyLimit = options.bodyLimitBytes ?? 65_536;
  // Fastify's two lines per request (incoming, completed) would double the cost of a refused request
  // and log every probe; the service logs each outcome itself instead.
  const app = Fastify({
    loggerInstance: options.logger,
    bodyLimit,
    logController: new LogController({ disableRequestLogging: true }),
    childLoggerFactory: lazyRequestLoggers,
  });
  const metrics = options.metrics ?? new ServiceMetrics();
  const clock = options.clock ?? systemClock;
  const refusals = new RefusalLog(clock, options.refusalLogLinesPerSecond);
  const workerCount = options.workerCount ?? 1;
  let inFlight = 0;

  takeBodiesAsText(app);

  /** Refusals are answered here, without an exception: the cheap path a flood of bad requests takes. */
  const refuse = (request: FastifyRequest, reply: FastifyReply, status: VisitStatus, reason: string) => {
    metrics.counted(status);
    refusals.refused(request.log, status, reason);
    return reply.code(status.statusCode).send({ error: status.result, message: reason, retrySafe: false });
  };

  app.setErrorHandler((error: FastifyError, request, reply) => {
    const mapped = asVisitError(error, bodyLimit);
    const status = statusOf(mapped);
    if (status.statusCode < 500) return refuse(request, reply, status, mapped.message);
    metrics.counted(status);
    request.log.error({ err: error }, 'next_visit failed: %s', error.message);
    if (status.retryAfterSeconds !== undefined) reply.header('retry-after', String(status.retryAfterSeconds));
    return reply.code(status.statusCode).send({
      error: status.result,
      message: mapped.message,
      retrySafe: status.statusCode === 503,
    });
  });

  /** The visit a request announces, or the refusal (400, 403, 422) it gets instead. */
  const admit = (request: FastifyRequest): FannedOutVisit | { status: VisitStatus; reason: string } => {
    const reading = readVisitRequest(request.headers, typeof request.body === 'string' ? request.body : '');
    if ('refusal' in reading) return { status: INVALID, reason: reading.refusal };
    const { visit } = reading;
    const age = visitAgeSeconds(visit, clock.nowUtcSeconds());
    if (age > options.messageExpirationSeconds) {
      return {
        status: STALE,
        reason: `Stale request, ignoring: sent ${age.toFixed(1)} s ago, MESSAGE_EXPIRATION is ${options.messageExpirationSeconds} s`,
      };
    }
    if (visit.instrument !== options.instrument) {
      return {
        status: IGNORED,
        reason: `visit is for ${visit.instrument || 'no instrument'}, this service processes ${options.instrument}`,
      };
    }
    return visit;
  };

  const processVisit = async (request: FastifyRequest, reply: FastifyReply, visit: FannedOutVisit) => {
    const log = request.log.child(visitLogFields(visit));
    if (inFlight >= workerCount) {
      throw new RetriableVisitError(
        `already processing ${inFlight} visit(s) (WORKER_COUNT=${workerCount})`,
        5,
      );
    }
    const timeout = AbortSignal.timeout(options.workerTimeoutSeconds * 1000);
    const signal = options.shutdownSignal ? AbortSignal.any([timeout, options.shutdownSignal]) : timeout;
    const started = process.hrtime.bigint();
    inFlight += 1;
    metrics.started();
    try {
      const outcome = await options.processor.processVisit(visit, {
        signal,
        log,
        recordStep: (step, seconds) => metrics.recordStep(step, seconds),
      });
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      metrics.recordStep('total', seconds);
      metrics.counted({ statusCode: 200, result: 'success' });
      log.info({ pipeline: outcome.pipeline, seconds }, 'next_visit handling completed.');
      return reply.code(200).send({
        result: 'success',
        pipeline: outcome.pipeline,
        message: outcome.message ?? 'Pipeline executed',
      });
    } finally {
      inFlight -= 1;
      metrics.finished();
    }
  };

  // Not an async handler: a refusal is answered synchronously, with no promise to settle, and only
  // a visit that is processed goes through one.
  app.post('/next-visit', { schema: { response: nextVisitReplies } }, (request, reply) => {
    const admitted = admit(request);
    if ('status' in admitted) {
      refuse(request, reply, admitted.status, admitted.reason);
      return;
    }
    return processVisit(request, reply, admitted);
  });

  app.get('/healthz', async () => ({ status: 'ok' }));
  app.get('/readyz', async (_request, reply) => {
    const ready = options.isReady ? await options.isReady().catch(() => false) : true;
    return reply.code(ready ? 200 : 503).send({ status: ready ? 'ready' : 'not ready' });
  });
  app.get('/version', async () => options.version);
  app.get('/metrics', async (_request, reply) =>
    reply.header('content-type', metrics.registry.contentType).send(await metrics.registry.metrics()),
  );
  return app;
}
