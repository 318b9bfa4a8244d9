// Everything one instrument needs in one environment: its namespace, Kafka topics and users, the
// raw-bucket notifications, the database Jobs, the initializer, the prompt service and the fan-out.
// One chart per environment × instrument, written to dist/<environment>/<instrument>/.

import { Chart, type ChartProps } from 'cdk8s';
import type { Construct } from 'constructs';
import type { ServiceSettingName } from '../../service/config/service-config';
import type { Buckets } from '../../service/domain/buckets';
import { rawKeyPrefix } from '../../service/domain/buckets';
import type { Instrument } from '../../service/domain/instruments';
import { catchAllPipelinesConfig } from '../../service/domain/pipelines-config';
import { type InstrumentTopics, instrumentTopics } from '../../service/domain/topics';
import { apdbCreateCommand } from '../constructs/apdb-cli';
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
import { exportTypeRegexpSetting } from '../environments/chart-defaults';
import {
  bucketsFor,
  type Environment,
  type ServiceTuning,
  serviceTuningFor,
} from '../environments/environment';
import { assertStrimziApiVersion } from '../environments/strimzi';

export interface InstrumentChartProps extends ChartProps {
  readonly environment: Environment;
  readonly instrument: Instrument;
}

/** Postgres URL selecting `schema` through libpq's `options`, which node-postgres honours too. */
export function postgresUrlWithSchema(url: string, schema: string): string {
  const separator = url.includes('?') ? '&' : '?';
  return `${url}${separator}options=${encodeURIComponent(`-c search_path=${schema}`)}`;
}

/** A key of the service Secret, which the secret store (Vault) provides; manifests only reference it. */
export function serviceSecretKey(instrument: Instrument, key: string): SecretKey {
  return { secretName: `prompt-proto-service-${instrument.slug}-secret`, key };
}

type Settings = Partial<Record<ServiceSettingName, string>>;
type Credentials = Partial<Record<ServiceSettingName, SecretKey>>;

/** What every part of the chart needs to know, worked out once. */
interface Deployment {
  readonly env: Environment;
  readonly instrument: Instrument;
  readonly tuning: ServiceTuning;
  readonly topics: InstrumentTopics;
  readonly buckets: Buckets;
  readonly image: string;
  readonly imagePullPolicy: Environment['image']['pullPolicy'];
  readonly namespace: string;
  readonly serviceAccountName: string;
  readonly labelsOf: (component: string) => Record<string, string>;
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
    assertStrimziApiVersion(env.kafka.strimziVersion, env.kafka.strimziApiVersion);
    const labelsOf = (component: string) =>
      componentLabels({ component, instrument: instrument.slug, environment: env.name });
    const namespace = new InstrumentNamespace(this, 'Namespace', {
      name: env.namespaceOf(instrument),
      labels: labelsOf('namespace'),
      ...(env.developer && env.quota
        ? {
            isolation: {
              developer: env.developer,
              quota: env.quota,
              kafkaNamespace: env.kafka.namespace,
              objectStoreNamespace: env.objectStore.rookStoreNamespace,
            },
          }
        : {}),
    });
    const deployment: Deployment = {
      env,
      instrument,
      tuning: serviceTuningFor(env, instrument),
      topics: instrumentTopics(instrument, env.resourcePrefix),
      buckets: bucketsFor(env, instrument),
      image: `${env.image.repository}:${env.image.tag}`,
      imagePullPolicy: env.image.pullPolicy,
      namespace: namespace.name,
      serviceAccountName: namespace.serviceAccountName,
      labelsOf,
    };

    const secret = (key: string): SecretKey => serviceSecretKey(instrument, key);
    const credentials: Credentials = {
      AWS_ACCESS_KEY_ID: secret('s3_access_key'),
      AWS_SECRET_ACCESS_KEY: secret('s3_secret_key'),
      PGPASSWORD: secret('db_password'),
    };
    const repo = repoSettings(deployment);

    this.kafkaTopics(deployment);
    this.databaseJobs(deployment, repo, credentials);
    const { observability } = env;
    this.service = this.promptService(deployment, repo, {
      ...credentials,
      AP_KAFKA_PRODUCER_PASSWORD: secret('alert_stream_pass'),
      // Upstream: a token only when uploading at all, and only where the proxy wants one.
      ...(observability.sasquatchUrl && observability.sasquatchToken
        ? { SASQUATCH_TOKEN: secret('sasquatch_token') }
        : {}),
    });
    new Initializer(this, 'Initializer', {
      serviceName: this.service.name,
      namespace: deployment.namespace,
      image: deployment.image,
      imagePullPolicy: deployment.imagePullPolicy,
      env: repo,
      secretEnv: credentials,
      suspendCron: env.suspendInitializerCron,
      labels: labelsOf('initializer'),
      serviceAccountName: deployment.serviceAccountName,
    });
    this.fanOut(deployment, this.service);
    this.rawNotifications(deployment);
  }

  /** One topic per message stream of the instrument. */
  private kafkaTopics(d: Deployment): void {
    const { kafka } = d.env;
    const topic = (id: string, topicName: string) =>
      new StrimziTopic(this, id, {
        topicName,
        namespace: kafka.namespace,
        clusterName: kafka.clusterName,
        apiVersion: kafka.strimziApiVersion,
        partitions: kafka.partitions,
        replicas: kafka.replicas,
        retentionMs: kafka.retentionMs,
        labels: d.labelsOf('kafka'),
      });
    topic('NextVisitTopic', d.topics.nextVisit);
    topic('RawNotificationsTopic', d.topics.rawNotifications);
    topic('AlertsTopic', d.topics.alerts);
  }

  /** One Kafka user per workload, allowed only its own streams. */
  private kafkaUser(d: Deployment, id: string, workload: string, acls: readonly KafkaAcl[]): StrimziUser {
    const { kafka } = d.env;
    const userName = kafkaUserName(d, workload);
    return new StrimziUser(this, id, {
      userName,
      namespace: kafka.namespace,
      clusterName: kafka.clusterName,
      apiVersion: kafka.strimziApiVersion,
      password: { secretName: `${userName}-password`, key: 'password' },
      acls,
      labels: d.labelsOf('kafka'),
    });
  }

  private databaseJobs(d: Deployment, repo: Settings, credentials: Credentials): void {
    const common = {
      namespace: d.namespace,
      image: d.image,
      imagePullPolicy: d.imagePullPolicy,
      serviceAccountName: d.serviceAccountName,
    };
    new CliJob(this, 'ApdbSchema', {
      ...common,
      name: 'create-apdb-schema',
      command: apdbCreateCommand(d.env.apdbSchemaOf(d.instrument), d.env.postgres.url),
      secretEnv: { PGPASSWORD: credentials.PGPASSWORD },
      labels: d.labelsOf('apdb-schema'),
    });
    new CliJob(this, 'RegistryMigration', {
      ...common,
      name: 'migrate-registry',
      command: ['prompt-repo', 'migrate', 'up'],
      env: { CENTRAL_REPO: repo.CENTRAL_REPO, S3_ENDPOINT_URL: repo.S3_ENDPOINT_URL },
      secretEnv: credentials,
      labels: d.labelsOf('registry-migration'),
    });
  }

  private promptService(d: Deployment, repo: Settings, credentials: Credentials): PromptService {
    const { tuning, topics, env } = d;
    const user = this.kafkaUser(d, 'ServiceUser', 'prompt-service', [
      { resourceType: 'topic', name: topics.rawNotifications, operations: ['Read', 'Describe'] },
      // Each request consumes with a fresh group id (it must see only notifications from now on).
      { resourceType: 'group', name: '*', operations: ['Read'] },
      { resourceType: 'topic', name: topics.alerts, operations: ['Write', 'Describe'] },
    ]);
    return new PromptService(this, 'Service', {
      instrument: d.instrument,
      namespace: d.namespace,
      environment: env.name,
      image: d.image,
      imagePullPolicy: d.imagePullPolicy,
      containerConcurrency: tuning.containerConcurrency,
      minScale: tuning.minScale,
      maxScale: tuning.maxScale,
      targetUtilizationPercentage: tuning.targetUtilizationPercentage,
      ...(tuning.targetBurstCapacity === undefined
        ? {}
        : { targetBurstCapacity: tuning.targetBurstCapacity }),
      workerTimeoutSeconds: tuning.workerTimeoutSeconds,
      extraTimeoutSeconds: tuning.extraTimeoutSeconds,
      idleTimeoutSeconds: tuning.idleTimeoutSeconds,
      responseStartTimeoutSeconds: tuning.responseStartTimeoutSeconds,
      gpus: tuning.gpus,
      tolerations: tuning.tolerations,
      affinity: tuning.affinity,
      maxRevisionTimeoutSeconds: env.knativeMaxRevisionTimeoutSeconds,
      knativeFeatures: env.knativeFeatures,
      cpu: tuning.cpu,
      memoryRequest: tuning.memoryRequest,
      memoryLimit: tuning.memoryLimit,
      ephemeralStorage: tuning.ephemeralStorage,
      localRepoSizeLimit: tuning.localRepoSizeLimit,
      revision: tuning.revision,
      serviceAccountName: d.serviceAccountName,
      env: {
        ...repo,
        WORKER_RESTART_FREQ: String(tuning.workerRestartFreq),
        WORKER_GRACE_PERIOD: String(tuning.workerGracePeriodSeconds),
        IMAGE_BUCKET: d.buckets.raw,
        IMAGE_TIMEOUT: String(tuning.imageTimeoutSeconds),
        LOCAL_REPO_CACHE_SIZE: String(tuning.localRepoCacheSize),
        PRELOAD_PADDING: String(tuning.preloadPaddingArcsec),
        KAFKA_CLUSTER: env.kafka.bootstrapServers,
        BUCKET_TOPIC: topics.rawNotifications,
        BUCKET_NOTIFICATION_KAFKA_OFFSET_RESET: 'latest',
        MESSAGE_EXPIRATION: String(tuning.messageExpirationSeconds),
        EXPORT_TYPE_REGEXP: exportTypeRegexpSetting(tuning.exportTypeRegexps),
        DEBUG_EXPORT_OUTPUTS: tuning.debugExportOutputs ? '1' : '0',
        AP_KAFKA_SERVER: env.kafka.bootstrapServers,
        AP_KAFKA_TOPIC: topics.alerts,
        AP_KAFKA_PRODUCER_USERNAME: user.userName,
        SERVICE_LOG_LEVELS: tuning.serviceLogLevels,
        SASQUATCH_URL: env.observability.sasquatchUrl,
        DAF_BUTLER_SASQUATCH_NAMESPACE: env.observability.sasquatchNamespace,
        ...(env.observability.mpSkyUrl ? { MP_SKY_URL: env.observability.mpSkyUrl } : {}),
      },
      secretEnv: credentials,
    });
  }

  private fanOut(d: Deployment, service: PromptService): void {
    const user = this.kafkaUser(d, 'FanOutUser', 'next-visit-fan-out', [
      { resourceType: 'topic', name: d.topics.nextVisit, operations: ['Read', 'Describe'] },
      // The fan-out's consumer group is named after its user (see NextVisitFanOut).
      { resourceType: 'group', name: kafkaUserName(d, 'next-visit-fan-out'), operations: ['Read'] },
    ]);
    new NextVisitFanOut(this, 'FanOut', {
      instrument: d.instrument,
      namespace: d.namespace,
      environment: d.env.name,
      image: d.image,
      imagePullPolicy: d.imagePullPolicy,
      kafkaBootstrapServers: d.env.kafka.bootstrapServers,
      nextVisitTopic: d.topics.nextVisit,
      kafkaUsername: user.userName,
      kafkaPassword: { secretName: `next-visit-fan-out-${d.instrument.slug}-secret`, key: 'kafka_password' },
      serviceUrl: service.url,
      messageExpirationSeconds: d.tuning.messageExpirationSeconds,
      serviceAccountName: d.serviceAccountName,
    });
  }

  /** RGW → Kafka directly, or RGW → the bridge over HTTP → Kafka. */
  private rawNotifications(d: Deployment): void {
    const { objectStore, kafka } = d.env;
    const common = {
      namespace: d.namespace,
      topicName: d.topics.rawNotifications,
      bucketName: d.buckets.raw,
      keyPrefix: rawKeyPrefix(d.instrument),
      objectStoreName: objectStore.rookStoreName,
      objectStoreNamespace: objectStore.rookStoreNamespace,
      labels: d.labelsOf('raw-notifications'),
      ...(objectStore.bucketStorageClass
        ? { provisionWithStorageClass: objectStore.bucketStorageClass }
        : {}),
    };
    if (objectStore.notificationDelivery === 'kafka') {
      new RawBucketNotification(this, 'RawNotifications', {
        ...common,
        endpoint: { kind: 'kafka', bootstrapServers: kafka.bootstrapServers },
      });
      return;
    }
    const user = this.kafkaUser(d, 'BridgeUser', 'notification-bridge', [
      { resourceType: 'topic', name: d.topics.rawNotifications, operations: ['Write', 'Describe'] },
    ]);
    const bridge = new NotificationBridge(this, 'Bridge', {
      instrument: d.instrument,
      namespace: d.namespace,
      environment: d.env.name,
      image: d.image,
      imagePullPolicy: d.imagePullPolicy,
      kafkaBootstrapServers: kafka.bootstrapServers,
      topic: d.topics.rawNotifications,
      kafkaUsername: user.userName,
      kafkaPassword: { secretName: `notification-bridge-${d.instrument.slug}-secret`, key: 'kafka_password' },
      serviceAccountName: d.serviceAccountName,
    });
    new RawBucketNotification(this, 'RawNotifications', {
      ...common,
      endpoint: { kind: 'http', url: bridge.url },
    });
  }
}

function kafkaUserName(d: Deployment, workload: string): string {
  return `${d.env.resourcePrefix}${workload}-${d.instrument.slug}`;
}

/** Settings the service, the initializer and the registry Job share: instrument, repos, pipelines, APDB. */
function repoSettings(d: Deployment): Settings {
  const pipelines = d.tuning.pipelines ?? d.instrument.pipelines;
  return {
    RUBIN_INSTRUMENT: d.instrument.name,
    SKYMAP: d.instrument.skymap,
    CENTRAL_REPO: `s3://${d.buckets.users}/${d.env.centralRepoPath}`,
    ...(d.env.readCentralRepo ? { READ_CENTRAL_REPO: d.env.readCentralRepo } : {}),
    S3_ENDPOINT_URL: d.env.objectStore.endpointUrl,
    // Ceph RGW rejects the checksums newer S3 clients send by default.
    AWS_REQUEST_CHECKSUM_CALCULATION: 'WHEN_REQUIRED',
    MAIN_PIPELINES_CONFIG: catchAllPipelinesConfig(d.instrument, pipelines.main),
    PREPROCESSING_PIPELINES_CONFIG: catchAllPipelinesConfig(d.instrument, pipelines.preprocessing),
    CONFIG_APDB: postgresUrlWithSchema(d.env.postgres.url, d.env.apdbSchemaOf(d.instrument)),
  };
}
