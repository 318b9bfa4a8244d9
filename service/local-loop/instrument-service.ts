// One instrument's share of the loop: its prompt service (the real HTTP edge and activator, listening
// on a loopback port), the raw notifications feeding it, and the fan-out that turns each next_visit
// into one POST per detector — as in a cluster, only in one process.

import { setMaxListeners } from 'node:events';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import type { FastifyBaseLogger } from 'fastify';
import { Agent } from 'undici';
import { exportTypeRegexpSetting, PROD_EXPORT_TYPE_REGEXPS } from '../../infra/environments/chart-defaults';
import { writeInitOutputs } from '../activator/init-outputs';
import { RawArrivals } from '../activator/raw-arrivals';
import { readServiceSettings } from '../config/service-settings';
import { catchAllPipelinesConfig } from '../domain/pipelines-config';
import { utcToTai } from '../domain/tai';
import { FanOutMetrics } from '../fan-out/fan-out-metrics';
import { NextVisitFanOut } from '../fan-out/next-visit-fan-out';
import { VisitPoster } from '../fan-out/visit-poster';
import { defaultTaskRegistry } from '../pipeline/tasks/default-task-registry';
import { systemClock } from '../ports/visit-processor';
import { composeService } from '../prompt-service/compose-service';
import type { InstrumentBackends, LoopBackends, Unsubscribe } from './loop-backends';
import { ObservedProcessor } from './observed-processor';
import type { VisitJournal } from './visit-journal';

export interface InstrumentServiceOptions {
  readonly backends: LoopBackends;
  readonly instrument: InstrumentBackends;
  readonly journal: VisitJournal;
  readonly dataDir: string;
  readonly repoRoot: string;
  readonly logger: FastifyBaseLogger;
  /** Visits the service works on at once (Knative would run more pods instead). */
  readonly workerCount: number;
  /** SERVICE_LOG_LEVELS for the service. */
  readonly logLevels?: string;
}

export interface RunningInstrumentService {
  readonly url: string;
  readonly deployment: string;
  /** The main pipelines in fallback order (the first is what a visit should run). */
  readonly mainPipelines: readonly string[];
  close(): Promise<void>;
}

const LOOP_EXPORT_TYPE_REGEXPS = [...PROD_EXPORT_TYPE_REGEXPS, 'post_isr_image'];

/** How long stopping waits for answers to POSTs already sent before it aborts them. */
const CLOSE_GRACE_MS = 2000;

export async function startInstrumentService(
  options: InstrumentServiceOptions,
): Promise<RunningInstrumentService> {
  const { backends, instrument: b, journal, logger } = options;
  const instrument = b.instrument;
  const settings = readServiceSettings(
    {
      RUBIN_INSTRUMENT: instrument.name,
      SKYMAP: instrument.skymap,
      WORKER_TIMEOUT: '900',
      WORKER_COUNT: String(options.workerCount),
      IMAGE_TIMEOUT: '20',
      LOCAL_REPOS: join(options.dataDir, 'local-repos'),
      MAIN_PIPELINES_CONFIG: catchAllPipelinesConfig(instrument, instrument.pipelines.main),
      PREPROCESSING_PIPELINES_CONFIG: catchAllPipelinesConfig(instrument, instrument.pipelines.preprocessing),
      SERVICE_LOG_LEVELS: options.logLevels ?? '',
      // What prod exports, plus the post-ISR image (the one product of the Isr fallback, so a
      // no-template visit leaves something under its run too), unless the caller says otherwise.
      // The other intermediates are never written (see ProcessVisit's persist).
      EXPORT_TYPE_REGEXP: process.env.EXPORT_TYPE_REGEXP ?? exportTypeRegexpSetting(LOOP_EXPORT_TYPE_REGEXPS),
      ...b.serviceEnv,
    },
    options.repoRoot,
  );
  const shutdown = new AbortController();
  // every POST in flight and every visit listens to it
  setMaxListeners(0, shutdown.signal);
  const closers: Unsubscribe[] = [];
  const arrivals = new RawArrivals();
  closers.push(await backends.consumeRawNotifications(b.topics.rawNotifications, arrivals));
  const service = await composeService(
    settings,
    {
      central: b.central,
      apdb: b.apdb,
      rawBucket: b.serviceRawBucket,
      arrivals,
      alerts: { publisher: backends.publisher, topic: b.topics.alerts },
    },
    {
      repoRoot: options.repoRoot,
      logger: logger.child({ instrument: instrument.name }),
      shutdownSignal: shutdown.signal,
      observe: (activator) => new ObservedProcessor(activator, journal),
    },
  );
  // What the initializer Job does in a cluster: today's output chain, runs and output dataset types.
  await writeInitOutputs({
    central: b.central,
    instrument: instrument.name,
    configs: [settings.main, settings.preprocessing],
    tasks: defaultTaskRegistry(),
    deployment: service.deployment,
    packageVersion: service.version,
    processingTai: utcToTai(Date.now() / 1000),
  });
  const url = await service.app.listen({ host: '127.0.0.1', port: 0 });
  const dispatcher = new Agent({ headersTimeout: 0, bodyTimeout: 0, keepAliveTimeout: 60_000 });
  const fanOut = new NextVisitFanOut({
    rules: { instrument: instrument.name, messageExpirationSeconds: 3600 },
    sender: new VisitPoster({ serviceUrl: url, source: b.topics.nextVisit, retryOn503: true, dispatcher }),
    maxInFlight: 64,
    metrics: new FanOutMetrics(),
    log: logger.child({ component: 'prompt-fanout', instrument: instrument.name }),
    clock: systemClock,
  });
  // POSTs whose answers have not come back yet: a visit the journal already shows as done may still
  // be on its way back to the fan-out, and stopping should let it arrive rather than log it as lost.
  const inFlight = new Set<Promise<unknown>>();
  closers.push(
    await backends.consumeNextVisits(b.topics.nextVisit, (text) => {
      const handled = fanOut.handle(text, shutdown.signal);
      if (handled.decision.kind !== 'fan-out') return;
      const visits = handled.decision.visits;
      for (const visit of visits) journal.entry(visit.instrument, visit.groupId, visit.detector);
      // A POST the service refused before processing never reaches the journal through the activator.
      const delivered = handled.delivered.finally(() => inFlight.delete(delivered));
      inFlight.add(delivered);
      void delivered.then((results) =>
        results.forEach((result, i) => {
          const visit = visits[i];
          if (!visit) return;
          const record = journal.entry(visit.instrument, visit.groupId, visit.detector);
          if (record.status !== 'waiting') return;
          const status = result instanceof Error ? 0 : result.statusCode;
          const reason = result instanceof Error ? result.message : `the service answered ${status}`;
          journal.failed(record, status, reason);
        }),
      );
    }),
  );
  return {
    url,
    deployment: service.deployment,
    mainPipelines: instrument.pipelines.main,
    async close() {
      const grace = new AbortController();
      await Promise.race([
        Promise.allSettled([...inFlight]).then(() => grace.abort()),
        delay(CLOSE_GRACE_MS, undefined, { signal: grace.signal }).catch(() => undefined),
      ]);
      grace.abort();
      shutdown.abort(new Error('the local loop is stopping'));
      await Promise.allSettled(closers.map((close) => close()));
      await service.app.close();
      await dispatcher.close();
    },
  };
}
