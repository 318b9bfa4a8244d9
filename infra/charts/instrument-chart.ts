// Everything one instrument needs in one environment: its namespace, Kafka topics and users, the
// raw-bucket notifications, the database Jobs, the initializer, the prompt service and the fan-out.
// One chart per environment × instrument, written to dist/<environment>/<instrument>/.

import { Chart, type ChartProps } from 'cdk8s';
import type { Construct } from 'constructs';
import type { ServiceSettingName } from '../../service/config/service-config';
import { rawKeyPrefix } from '../../service/domain/buckets';
import type { Instrument } from '../../service/domain/instruments';
import { catchAllPipelinesConfig } from '../../service/domain/pipelines-config';
import { instrumentTopics } from '../../service/domain/topics';
import { CliJob } from '../constructs/cli-job';
import type { SecretKey } from '../constructs/container-env';
import { Initializer } from '../constructs/initializer';
import { InstrumentNamespace } from '../constructs/instrument-namespace';
import { componentLabels } from '../constructs/names';
import { NextVisitFanOut } from '../constructs/next-visit-fan-out';
import { NotificationBridge } from '../constructs/notification-bridge';
import { PromptService } from '../constructs/prompt-service';
import { RawBucketNotification } from '../constructs/raw-bucket-notification';
import { StrimziTopic } from '../constructs/strimzi-topic';
import { type KafkaAcl, StrimziUser } from '../constructs/strimzi-user';
import { bucketsFor, type Environment, serviceTuningFor } from '../environments/environment';

export interface InstrumentChartProps extends ChartProps {
  readonly environment: Environment;
  readonly instrument: Instrument;
}

/** Postgres URL selecting `schema` through libpq's `options`, which node-postgres honours too. */
export function postgresUrlWithSchema(url: string, schema: string): string {
  const separator = url.includes('?') ? '&' : '?';
  return `${url}${separator}options=${encodeURIComponent(`-c search_path=${schema}`)}`;
}

export class InstrumentChart extends Chart {
  public readonly service: PromptService;

  constructor(scope: Construct, id: string, props: InstrumentChartProps) {
    super(scope, id, { ...props, disableResourceNameHashes: true });
    const { environment: env, instrument } = props;
    if (!env.instruments.includes(instrument.name)) {
      throw new Error(
        `instrument ${instrument.name} is not deployed to ${env.name}: use one of ${env.instruments.join(', ')}`,
      );
    }
    const tuning = serviceTuningFor(env, instrument);
    const topics = instrumentTopics(instrument, env.resourcePrefix);
    const buckets = bucketsFor(env, instrument);
    const image = `${env.image.repository}:${env.image.tag}`;
    const pullPolicy = env.image.pullPolicy;
    const labelsOf = (component: string) =>
      componentLabels({ component, instrument: instrument.slug, environment: env.name });
    const { kafka } = env;

    const namespace = new InstrumentNamespace(this, 'Namespace', {
      name: env.namespaceOf(instrument),
      labels: labelsOf('namespace'),
      ...(env.developer && env.quota
        ? {
            isolation: {
              developer: env.developer,
              quota: env.quota,
              kafkaNamespace: kafka.namespace,
              objectStoreNamespace: env.objectStore.rookStoreNamespace,
            },
          }
        : {}),
    });
    const ns = namespace.name;
    const serviceAccountName = namespace.serviceAccountName;

    // Kafka: one topic per message stream, one user per workload, each allowed only its own streams.
    const topic = (id: string, topicName: string) =>
      new StrimziTopic(this, id, {
        topicName,
        namespace: kafka.namespace,
        clusterName: kafka.clusterName,
        apiVersion: kafka.strimziApiVersion,
        partitions: kafka.partitions,
        replicas: kafka.replicas,
        retentionMs: kafka.retentionMs,
        labels: labelsOf('kafka'),
      });
    topic('NextVisitTopic', topics.nextVisit);
    topic('RawNotificationsTopic', topics.rawNotifications);
    topic('AlertsTopic', topics.alerts);
    const kafkaUser = (id: string, userName: string, acls: readonly KafkaAcl[]) =>
      new StrimziUser(this, id, {
        userName,
        namespace: kafka.namespace,
        clusterName: kafka.clusterName,
        apiVersion: kafka.strimziApiVersion,
        password: { secretName: `${userName}-password`, key: 'password' },
        acls,
        labels: labelsOf('kafka'),
      });
    const serviceUser = kafkaUser('ServiceUser', `${env.resourcePrefix}prompt-service-${instrument.slug}`, [
      { resourceType: 'topic', name: topics.rawNotifications, operations: ['Read', 'Describe'] },
      // Each request consumes with a fresh group id (it must see only notifications from now on).
      { resourceType: 'group', name: '*', operations: ['Read'] },
      { resourceType: 'topic', name: topics.alerts, operations: ['Write', 'Describe'] },
    ]);
    const fanOutUserName = `${env.resourcePrefix}next-visit-fan-out-${instrument.slug}`;
    const fanOutUser = kafkaUser('FanOutUser', fanOutUserName, [
      { resourceType: 'topic', name: topics.nextVisit, operations: ['Read', 'Describe'] },
      // The fan-out's consumer group is named after its user (see NextVisitFanOut).
      { resourceType: 'group', name: fanOutUserName, operations: ['Read'] },
    ]);

    // Secrets are provided by the secret store (Vault) under these names; manifests only reference them.
    const serviceSecret = `prompt-proto-service-${instrument.slug}-secret`;
    const secret = (key: string): SecretKey => ({ secretName: serviceSecret, key });
    const credentials: Partial<Record<ServiceSettingName, SecretKey>> = {
      AWS_ACCESS_KEY_ID: secret('s3_access_key'),
      AWS_SECRET_ACCESS_KEY: secret('s3_secret_key'),
      PGPASSWORD: secret('db_password'),
    };

    const pipelines = tuning.pipelines ?? instrument.pipelines;
    const centralRepo = `s3://${buckets.users}/${env.centralRepoPath}`;
    const apdbSchema = env.apdbSchemaOf(instrument);
    const repoEnv: Partial<Record<ServiceSettingName, string>> = {
      RUBIN_INSTRUMENT: instrument.name,
      SKYMAP: instrument.skymap,
      CENTRAL_REPO: centralRepo,
      ...(env.readCentralRepo ? { READ_CENTRAL_REPO: env.readCentralRepo } : {}),
      S3_ENDPOINT_URL: env.objectStore.endpointUrl,
      // Ceph RGW rejects the checksums newer S3 clients send by default.
      AWS_REQUEST_CHECKSUM_CALCULATION: 'WHEN_REQUIRED',
      MAIN_PIPELINES_CONFIG: catchAllPipelinesConfig(instrument, pipelines.main),
      PREPROCESSING_PIPELINES_CONFIG: catchAllPipelinesConfig(instrument, pipelines.preprocessing),
      CONFIG_APDB: postgresUrlWithSchema(env.postgres.url, apdbSchema),
    };

    new CliJob(this, 'ApdbSchema', {
      name: 'create-apdb-schema',
      namespace: ns,
      image,
      imagePullPolicy: pullPolicy,
      command: ['prompt-apdb', 'create', '--namespace', apdbSchema, '--db-url', env.postgres.url],
      secretEnv: { PGPASSWORD: credentials.PGPASSWORD },
      labels: labelsOf('apdb-schema'),
      serviceAccountName,
    });
    new CliJob(this, 'RegistryMigration', {
      name: 'migrate-registry',
      namespace: ns,
      image,
      imagePullPolicy: pullPolicy,
      command: ['prompt-repo', 'migrate', 'up'],
      env: { CENTRAL_REPO: centralRepo, S3_ENDPOINT_URL: env.objectStore.endpointUrl },
      secretEnv: credentials,
      labels: labelsOf('registry-migration'),
      serviceAccountName,
    });

    this.service = new PromptService(this, 'Service', {
      instrument,
      namespace: ns,
      environment: env.name,
      image,
      imagePullPolicy: pullPolicy,
      containerConcurrency: tuning.containerConcurrency,
      minScale: tuning.minScale,
      maxScale: tuning.maxScale,
      targetUtilizationPercentage: tuning.targetUtilizationPercentage,
      ...(tuning.targetBurstCapacity === undefined
        ? {}
        : { targetBurstCapacity: tuning.targetBurstCapacity }),
      workerTimeoutSeconds: tuning.workerTimeoutSeconds,
      extraTimeoutSeconds: tuning.extraTimeoutSeconds,
      maxRevisionTimeoutSeconds: env.knativeMaxRevisionTimeoutSeconds,
      cpu: tuning.cpu,
      memoryRequest: tuning.memoryRequest,
      memoryLimit: tuning.memoryLimit,
      ephemeralStorage: tuning.ephemeralStorage,
      localRepoSizeLimit: tuning.localRepoSizeLimit,
      revision: tuning.revision,
      serviceAccountName,
      env: {
        ...repoEnv,
        WORKER_RESTART_FREQ: String(tuning.workerRestartFreq),
        WORKER_GRACE_PERIOD: String(tuning.workerGracePeriodSeconds),
        IMAGE_BUCKET: buckets.raw,
        IMAGE_TIMEOUT: String(tuning.imageTimeoutSeconds),
        LOCAL_REPO_CACHE_SIZE: String(tuning.localRepoCacheSize),
        PRELOAD_PADDING: String(tuning.preloadPaddingArcsec),
        KAFKA_CLUSTER: kafka.bootstrapServers,
        BUCKET_TOPIC: topics.rawNotifications,
        BUCKET_NOTIFICATION_KAFKA_OFFSET_RESET: 'latest',
        MESSAGE_EXPIRATION: String(tuning.messageExpirationSeconds),
        EXPORT_TYPE_REGEXP: tuning.exportTypeRegexps.map((r) => `- ${r}`).join('\n'),
        DEBUG_EXPORT_OUTPUTS: tuning.debugExportOutputs ? '1' : '0',
        AP_KAFKA_SERVER: kafka.bootstrapServers,
        AP_KAFKA_TOPIC: topics.alerts,
        AP_KAFKA_PRODUCER_USERNAME: serviceUser.userName,
        SERVICE_LOG_LEVELS: tuning.serviceLogLevels,
      },
      secretEnv: { ...credentials, AP_KAFKA_PRODUCER_PASSWORD: secret('alert_stream_pass') },
    });

    new Initializer(this, 'Initializer', {
      serviceName: this.service.name,
      namespace: ns,
      image,
      imagePullPolicy: pullPolicy,
      env: repoEnv,
      secretEnv: credentials,
      suspendCron: env.suspendInitializerCron,
      labels: labelsOf('initializer'),
      serviceAccountName,
    });

    new NextVisitFanOut(this, 'FanOut', {
      instrument,
      namespace: ns,
      environment: env.name,
      image,
      imagePullPolicy: pullPolicy,
      kafkaBootstrapServers: kafka.bootstrapServers,
      nextVisitTopic: topics.nextVisit,
      kafkaUsername: fanOutUser.userName,
      kafkaPassword: { secretName: `next-visit-fan-out-${instrument.slug}-secret`, key: 'kafka_password' },
      serviceUrl: this.service.url,
      messageExpirationSeconds: tuning.messageExpirationSeconds,
      serviceAccountName,
    });

    const notification = {
      namespace: ns,
      topicName: topics.rawNotifications,
      bucketName: buckets.raw,
      keyPrefix: rawKeyPrefix(instrument),
      objectStoreName: env.objectStore.rookStoreName,
      objectStoreNamespace: env.objectStore.rookStoreNamespace,
      labels: labelsOf('raw-notifications'),
      ...(env.objectStore.bucketStorageClass
        ? { provisionWithStorageClass: env.objectStore.bucketStorageClass }
        : {}),
    };
    if (env.objectStore.notificationDelivery === 'kafka') {
      new RawBucketNotification(this, 'RawNotifications', {
        ...notification,
        endpoint: { kind: 'kafka', bootstrapServers: kafka.bootstrapServers },
      });
    } else {
      const bridgeUser = kafkaUser(
        'BridgeUser',
        `${env.resourcePrefix}notification-bridge-${instrument.slug}`,
        [{ resourceType: 'topic', name: topics.rawNotifications, operations: ['Write', 'Describe'] }],
      );
      const bridge = new NotificationBridge(this, 'Bridge', {
        instrument,
        namespace: ns,
        environment: env.name,
        image,
        imagePullPolicy: pullPolicy,
        kafkaBootstrapServers: kafka.bootstrapServers,
        topic: topics.rawNotifications,
        kafkaUsername: bridgeUser.userName,
        kafkaPassword: { secretName: `notification-bridge-${instrument.slug}-secret`, key: 'kafka_password' },
        serviceAccountName,
      });
      new RawBucketNotification(this, 'RawNotifications', {
        ...notification,
        endpoint: { kind: 'http', url: bridge.url },
      });
    }
  }
}
