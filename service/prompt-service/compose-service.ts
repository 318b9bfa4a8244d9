// Wires one instrument's prompt service from its settings and opened backends: the pipeline tasks
// (with APDB association and alerts when a bus for alerts is given), the activator and the HTTP edge.
// The prompt-service entry point opens Kafka/S3/PostgreSQL backends; the local loop passes embedded ones.
import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import { computeDeploymentId } from '../activator/deployment-id';
import { parseExportTypes } from '../activator/export-outputs';
import { Activator } from '../activator/process-visit';
import type { RawArrivals } from '../activator/raw-arrivals';
import type { Apdb } from '../apdb/apdb';
import type { ServiceSettings } from '../config/service-settings';
import { instrumentByName } from '../domain/instruments';
import { taiMjdFromUtc } from '../domain/tai';
import { implementAssociateApdb } from '../pipeline/tasks/associate-apdb';
import { defaultTaskRegistry } from '../pipeline/tasks/default-task-registry';
import { implementLoadDiaCatalogs } from '../pipeline/tasks/load-dia-catalogs';
import type { EventPublisher } from '../ports/event-publisher';
import type { RawBucket } from '../ports/raw-bucket';
import type { VisitProcessor } from '../ports/visit-processor';
import type { Repo } from '../repo/repo';
import { buildServiceApp } from './service-app';
import { gitCommitOf, packageVersion } from './service-version';

export interface ServiceBackends {
  readonly central: Repo;
  readonly apdb: Apdb;
  readonly rawBucket: RawBucket;
  /** Fed by the bucket notifications (Kafka consumer or the in-process bus). */
  readonly arrivals: RawArrivals;
  /** Where alerts go; without it ApPipe cannot associate, so visits fall back. */
  readonly alerts?: { readonly publisher: EventPublisher; readonly topic: string };
}

export interface ComposeOptions {
  /** The package root: pipelines config expansion and version. */
  readonly repoRoot: string;
  readonly logger: FastifyBaseLogger;
  /** Aborted on shutdown: visits in flight stop and answer whether a retry is safe. */
  readonly shutdownSignal?: AbortSignal;
  /** Wraps the activator (the local loop records each visit's steps and outcome this way). */
  readonly observe?: (activator: VisitProcessor) => VisitProcessor;
}

export interface ComposedService {
  readonly app: FastifyInstance;
  readonly deployment: string;
  readonly commit: string;
  readonly version: string;
}

export async function composeService(
  settings: ServiceSettings,
  backends: ServiceBackends,
  options: ComposeOptions,
): Promise<ComposedService> {
  const { config, levels, main: mainPipelines, preprocessing } = settings;
  const instrument = instrumentByName(config.RUBIN_INSTRUMENT);
  const version = packageVersion(options.repoRoot);
  const deployment = await computeDeploymentId([mainPipelines, preprocessing], config.CONFIG_APDB, version);
  const tasks = defaultTaskRegistry();
  implementLoadDiaCatalogs(tasks, { apdb: backends.apdb });
  if (backends.alerts) {
    implementAssociateApdb(tasks, {
      apdb: backends.apdb,
      publisher: backends.alerts.publisher,
      alertTopic: backends.alerts.topic,
      nowMjdTai: () => taiMjdFromUtc(Date.now() / 1000),
    });
  } else {
    options.logger.warn(
      'no bus for alerts (AP_KAFKA_SERVER or KAFKA_CLUSTER): ApPipe cannot associate, so it falls back',
    );
  }
  const activator = new Activator({
    instrument,
    central: backends.central,
    rawBucket: backends.rawBucket,
    arrivals: backends.arrivals,
    apdb: backends.apdb,
    tasks,
    mainPipelines,
    preprocessingPipelines: preprocessing,
    localReposDir: config.LOCAL_REPOS,
    skymap: config.SKYMAP,
    imageTimeoutSeconds: config.IMAGE_TIMEOUT,
    preloadPaddingArcsec: config.PRELOAD_PADDING,
    exportTypes: parseExportTypes(config.EXPORT_TYPE_REGEXP),
    exportOutputs: config.DEBUG_EXPORT_OUTPUTS,
    deployment,
    logLevels: levels,
  });
  const commit = config.GIT_COMMIT ?? gitCommitOf(options.repoRoot) ?? 'unknown';
  const app = buildServiceApp({
    processor: options.observe ? options.observe(activator) : activator,
    instrument: instrument.name,
    messageExpirationSeconds: config.MESSAGE_EXPIRATION,
    workerTimeoutSeconds: config.WORKER_TIMEOUT,
    workerCount: config.WORKER_COUNT,
    logger: options.logger,
    version: {
      version,
      commit,
      ...(config.IMAGE_DIGEST ? { imageDigest: config.IMAGE_DIGEST } : {}),
      deployment,
    },
    ...(options.shutdownSignal ? { shutdownSignal: options.shutdownSignal } : {}),
    isReady: async () => {
      await backends.central.registry.db.query('SELECT 1');
      return true;
    },
  });
  return { app, deployment, commit, version };
}
