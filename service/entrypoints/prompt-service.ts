// Entry point of `prompt-service`: parses the configuration, runs the start-up checks (Kafka, raw
// bucket, central repo, local repo directory, APDB), wires the activator behind the HTTP edge and
// listens. SIGTERM aborts visits in flight (they answer whether a retry is safe) and closes cleanly.
// Exit code 3: configuration or a backend is unusable; the one-line reason is on stderr.

import { resolve } from 'node:path';
import type { Consumer } from 'kafkajs';
import { computeDeploymentId } from '../activator/deployment-id';
import { parseExportTypes } from '../activator/export-outputs';
import { Activator } from '../activator/process-visit';
import { RawArrivals } from '../activator/raw-arrivals';
import { startRawNotificationConsumer } from '../activator/raw-notification-consumer';
import { FileRawBucket } from '../adapters/filesystem/file-raw-bucket';
import { createKafka } from '../adapters/kafka/kafka-client';
import { KafkaPublisher } from '../adapters/kafka/kafka-publisher';
import { s3ClientFor } from '../adapters/s3/s3-datastore';
import { S3RawBucket } from '../adapters/s3/s3-raw-bucket';
import { ConfigError } from '../config/config-error';
import { readServiceSettings } from '../config/service-settings';
import { instrumentByName } from '../domain/instruments';
import { taiMjdFromUtc } from '../domain/tai';
import { instrumentTopics } from '../domain/topics';
import { implementAssociateApdb } from '../pipeline/tasks/associate-apdb';
import { defaultTaskRegistry } from '../pipeline/tasks/default-task-registry';
import { implementLoadDiaCatalogs } from '../pipeline/tasks/load-dia-catalogs';
import { buildServiceApp } from '../prompt-service/service-app';
import { serviceLogger } from '../prompt-service/service-logger';
import { gitCommitOf, packageVersion } from '../prompt-service/service-version';
import {
  checkKafka,
  checkLocalRepos,
  checkRawBucket,
  openApdb,
  openCentralRepo,
  StartupCheckError,
} from '../prompt-service/startup-checks';

const REPO_ROOT = resolve(__dirname, '..', '..');

const isDirectory = (location: string) => location.startsWith('/') || location.startsWith('.');

async function main(): Promise<void> {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const { config, levels, main: mainPipelines, preprocessing } = readServiceSettings(process.env, REPO_ROOT);
  const instrument = instrumentByName(config.RUBIN_INSTRUMENT);
  const logger = serviceLogger(levels, instrument.name);
  const closers: Array<() => Promise<unknown>> = [];
  const closeAll = () => Promise.allSettled(closers.reverse().map((close) => close()));
  try {
    const arrivals = new RawArrivals();
    let consumer: Consumer | undefined;
    if (config.KAFKA_CLUSTER) {
      const kafka = createKafka({
        bootstrapServers: config.KAFKA_CLUSTER,
        clientId: 'prompt-service',
        logger: logger.child({ name: 'lsst.activator.kafka' }),
      });
      consumer = await checkKafka(config.KAFKA_CLUSTER, () =>
        startRawNotificationConsumer({
          kafka,
          topic: config.BUCKET_TOPIC,
          arrivals,
          log: logger,
          joinTimeoutMs: 15_000,
        }),
      );
      closers.push(() => consumer?.disconnect() ?? Promise.resolve());
    }
    const s3 = isDirectory(config.IMAGE_BUCKET)
      ? undefined
      : s3ClientFor(config.S3_ENDPOINT_URL ? { endpoint: config.S3_ENDPOINT_URL } : {});
    await checkRawBucket(config.IMAGE_BUCKET, s3);
    const rawBucket = s3 ? new S3RawBucket(s3, config.IMAGE_BUCKET) : new FileRawBucket(config.IMAGE_BUCKET);
    const central = await openCentralRepo(config.CENTRAL_REPO, config.S3_ENDPOINT_URL);
    closers.push(() => central.close());
    await checkLocalRepos(config.LOCAL_REPOS);
    const apdb = await openApdb(config.CONFIG_APDB, config.LOCAL_REPOS);
    closers.push(() => apdb.close());

    const version = packageVersion(REPO_ROOT);
    const deployment = await computeDeploymentId([mainPipelines, preprocessing], config.CONFIG_APDB, version);
    const tasks = defaultTaskRegistry();
    implementLoadDiaCatalogs(tasks, { apdb });
    const alertServers = config.AP_KAFKA_SERVER ?? config.KAFKA_CLUSTER;
    if (alertServers) {
      const alertKafka = createKafka({
        bootstrapServers: alertServers,
        clientId: 'prompt-service-alerts',
        logger: logger.child({ name: 'lsst.associateApdb.kafka' }),
        ...(config.AP_KAFKA_PRODUCER_USERNAME && config.AP_KAFKA_PRODUCER_PASSWORD
          ? {
              scram: {
                username: config.AP_KAFKA_PRODUCER_USERNAME,
                password: config.AP_KAFKA_PRODUCER_PASSWORD,
              },
            }
          : {}),
      });
      const alerts = new KafkaPublisher(alertKafka);
      closers.push(() => alerts.close());
      implementAssociateApdb(tasks, {
        apdb,
        publisher: alerts,
        alertTopic: config.AP_KAFKA_TOPIC ?? instrumentTopics(instrument).alerts,
        nowMjdTai: () => taiMjdFromUtc(Date.now() / 1000),
      });
    } else {
      logger.warn(
        'no Kafka for alerts (AP_KAFKA_SERVER or KAFKA_CLUSTER): ApPipe cannot associate, so it falls back',
      );
    }
    const shutdown = new AbortController();
    const activator = new Activator({
      instrument,
      central,
      rawBucket,
      arrivals,
      apdb,
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
    const commit = config.GIT_COMMIT ?? gitCommitOf(REPO_ROOT) ?? 'unknown';
    const app = buildServiceApp({
      processor: activator,
      instrument: instrument.name,
      messageExpirationSeconds: config.MESSAGE_EXPIRATION,
      workerTimeoutSeconds: config.WORKER_TIMEOUT,
      workerCount: config.WORKER_COUNT,
      logger,
      version: {
        version,
        commit,
        ...(config.IMAGE_DIGEST ? { imageDigest: config.IMAGE_DIGEST } : {}),
        deployment,
      },
      shutdownSignal: shutdown.signal,
      isReady: async () => {
        await central.registry.db.query('SELECT 1');
        return true;
      },
    });
    for (const signal of ['SIGTERM', 'SIGINT'] as const) {
      process.once(signal, () => {
        logger.warn({ signal }, 'shutting down: aborting visits in flight');
        shutdown.abort(new Error(`${signal} received: the service is shutting down`));
        // Past the grace period, leave whatever still hangs to the platform's SIGKILL.
        setTimeout(() => process.exit(1), config.WORKER_GRACE_PERIOD * 1000).unref();
        void app
          .close()
          .then(closeAll)
          .then(() => process.exit(0));
      });
    }
    await app.listen({ host: config.SERVICE_HOST, port: config.PORT ?? 8080 });
    logger.info({ deployment, commit, version }, 'prompt service ready for %s', instrument.name);
  } catch (error) {
    await closeAll();
    throw error;
  }
}

main().catch((error: unknown) => {
  const reason = error instanceof Error ? error.message : String(error);
  process.stderr.write(`prompt-service: ${reason.split('\n')[0]}\n`);
  process.exit(error instanceof ConfigError || error instanceof StartupCheckError ? 3 : 1);
});
