import { Chart, Testing } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { ArgoApplication } from '../../infra/constructs/argo-application';
import { CliJob } from '../../infra/constructs/cli-job';
import { RawBucketNotification } from '../../infra/constructs/raw-bucket-notification';
import { StrimziTopic } from '../../infra/constructs/strimzi-topic';
import { StrimziUser } from '../../infra/constructs/strimzi-user';
import { developerEnvironment } from '../../infra/environments/developer';
import { USDF_DEV } from '../../infra/environments/usdf-dev';
import { USDF_PROD } from '../../infra/environments/usdf-prod';
import { findObject, type SynthManifest, synthInstrument } from './support/synth';

const dev = synthInstrument(USDF_DEV, 'LATISS');
const prod = synthInstrument(USDF_PROD, 'LATISS');

function envOf(podSpec: { containers: { env: { name: string; value?: string; valueFrom?: unknown }[] }[] }) {
  return new Map(podSpec.containers[0]?.env.map((e) => [e.name, e]));
}

describe('initializer', () => {
  const job = findObject(dev, 'Job', 'init-prompt-proto-service-latiss');
  const cron = findObject(dev, 'CronJob', 'cron-prompt-proto-service-latiss');

  it('runs as an Argo CD Sync hook before the service, replacing its previous run', () => {
    expect(job.metadata.annotations).toEqual({
      'argocd.argoproj.io/hook': 'Sync',
      'argocd.argoproj.io/hook-delete-policy': 'BeforeHookCreation',
      'argocd.argoproj.io/sync-wave': '-1',
    });
  });

  it('has upstream limits: 120 s, 6 retries, cleaned up after an hour, drains not counted', () => {
    expect(job.spec).toMatchObject({
      activeDeadlineSeconds: 120,
      backoffLimit: 6,
      ttlSecondsAfterFinished: 3600,
    });
    expect(job.spec.template.spec.restartPolicy).toBe('Never');
    expect(job.spec.podFailurePolicy.rules).toEqual([
      { action: 'Ignore', onPodConditions: [{ type: 'DisruptionTarget', status: 'True' }] },
    ]);
    expect(job.spec.template.spec.containers[0].resources).toEqual({
      requests: { cpu: '1', memory: '512Mi' },
      limits: { cpu: '1', memory: '1Gi' },
    });
  });

  it('runs daily at 00:01 in UTC-12, replacing a run still going, suspended in dev only', () => {
    expect(cron.spec).toMatchObject({
      schedule: '1 0 * * *',
      timeZone: 'Etc/GMT+12',
      concurrencyPolicy: 'Replace',
      startingDeadlineSeconds: 82800,
      suspend: true,
    });
    expect(findObject(prod, 'CronJob', 'cron-prompt-proto-service-latiss').spec.suspend).toBe(false);
    expect(cron.spec.jobTemplate.spec).toEqual(job.spec);
  });

  it('gets the instrument, repo and pipelines but not the request-serving settings', () => {
    const env = envOf(job.spec.template.spec);
    expect(env.get('RUBIN_INSTRUMENT')?.value).toBe('LATISS');
    expect(env.get('CENTRAL_REPO')?.value).toBe('s3://rubin-pp-dev-users/central_repo_2');
    expect(env.has('MAIN_PIPELINES_CONFIG')).toBe(true);
    expect(env.has('WORKER_TIMEOUT')).toBe(false);
    expect(job.spec.template.spec.containers[0].args).toEqual(['prompt-repo', 'write-init-outputs']);
  });
});

describe('database schema jobs', () => {
  it("create the instrument's APDB schema with the project CLI, password from the secret", () => {
    const job = findObject(dev, 'Job', 'create-apdb-schema');
    const container = job.spec.template.spec.containers[0];
    expect(container.image).toBe('ghcr.io/lsst-dm/prompt-service:latest');
    expect(container.args).toEqual([
      'prompt-apdb',
      'create',
      '--namespace',
      'pp_apdb_latiss',
      '--db-url',
      'postgresql://rubin@usdf-prompt-processing-dev.slac.stanford.edu:5432/lsst-devl',
    ]);
    expect(container.env).toEqual([
      {
        name: 'PGPASSWORD',
        valueFrom: { secretKeyRef: { name: 'prompt-proto-service-latiss-secret', key: 'db_password' } },
      },
    ]);
    expect(job.metadata.annotations?.['argocd.argoproj.io/hook']).toBe('Sync');
  });

  it('migrate the registry of the central repo', () => {
    const job = findObject(dev, 'Job', 'migrate-registry');
    const container = job.spec.template.spec.containers[0];
    expect(container.args).toEqual(['prompt-repo', 'migrate', 'up']);
    expect(envOf(job.spec.template.spec).get('CENTRAL_REPO')?.value).toBe(
      's3://rubin-pp-dev-users/central_repo_2',
    );
  });

  it('fails on an env var the service does not declare', () => {
    const chart = new Chart(Testing.app(), 'test');
    expect(
      () =>
        new CliJob(chart, 'Job', {
          name: 'job',
          namespace: 'ns',
          image: 'i',
          command: ['prompt-apdb'],
          env: { DB_URL: 'x' } as never,
        }),
    ).toThrow(/job job: env var DB_URL is not a declared setting/);
  });
});

describe('next-visit fan-out', () => {
  const deployment = findObject(dev, 'Deployment', 'next-visit-fan-out-latiss');
  const env = envOf(deployment.spec.template.spec);

  it("consumes the instrument's next-visit topic and posts to its service", () => {
    expect(deployment.spec.template.spec.containers[0].args).toEqual(['prompt-fanout']);
    expect(env.get('NEXT_VISIT_TOPIC')?.value).toBe('next-visit-latiss');
    expect(env.get('SERVICE_URL')?.value).toBe(
      'http://prompt-proto-service-latiss.prompt-proto-service-latiss.svc.cluster.local',
    );
    expect(env.get('RUBIN_INSTRUMENT')?.value).toBe('LATISS');
    expect(env.get('KAFKA_CONSUMER_GROUP')?.value).toBe('next-visit-fan-out-latiss');
    expect(env.get('KAFKA_PASSWORD')?.valueFrom).toEqual({
      secretKeyRef: { name: 'next-visit-fan-out-latiss-secret', key: 'kafka_password' },
    });
  });

  it('runs one non-root replica with a read-only root filesystem', () => {
    expect(deployment.spec.replicas).toBe(1);
    expect(deployment.spec.template.spec.securityContext.runAsNonRoot).toBe(true);
    expect(deployment.spec.template.spec.containers[0].securityContext.readOnlyRootFilesystem).toBe(true);
  });
});

describe('kafka topics and users', () => {
  it("create the three topics of the instrument on the environment's cluster", () => {
    const topics = dev.filter((m) => m.kind === 'KafkaTopic');
    expect(topics.map((t) => t.spec.topicName).sort()).toEqual([
      'alerts-latiss',
      'next-visit-latiss',
      'raw-notifications-latiss',
    ]);
    for (const topic of topics) {
      expect(topic.apiVersion).toBe('kafka.strimzi.io/v1beta2');
      expect(topic.metadata.namespace).toBe('kafka');
      expect(topic.metadata.labels?.['strimzi.io/cluster']).toBe('prompt-processing2');
      expect(topic.spec.config['retention.ms']).toBe(604_800_000);
    }
  });

  it('grant the service only its notification topic, any group, and its alert topic', () => {
    const user = findObject(dev, 'KafkaUser', 'prompt-service-latiss');
    expect(user.spec.authentication).toEqual({
      type: 'scram-sha-512',
      password: { valueFrom: { secretKeyRef: { name: 'prompt-service-latiss-password', key: 'password' } } },
    });
    expect(user.spec.authorization.acls).toEqual([
      {
        resource: { type: 'topic', name: 'raw-notifications-latiss', patternType: 'literal' },
        operations: ['Read', 'Describe'],
      },
      { resource: { type: 'group', name: '*', patternType: 'literal' }, operations: ['Read'] },
      {
        resource: { type: 'topic', name: 'alerts-latiss', patternType: 'literal' },
        operations: ['Write', 'Describe'],
      },
    ]);
  });

  it('emit v1 when the cluster runs Strimzi 1.x', () => {
    const chart = new Chart(Testing.app(), 'test');
    new StrimziTopic(chart, 'Topic', {
      topicName: 't',
      namespace: 'kafka',
      clusterName: 'c',
      apiVersion: 'v1',
    });
    expect((Testing.synth(chart)[0] as SynthManifest).apiVersion).toBe('kafka.strimzi.io/v1');
  });

  it('fails on a topic name Kafka rejects and on a user without ACLs', () => {
    const chart = new Chart(Testing.app(), 'test');
    const common = { namespace: 'kafka', clusterName: 'c', apiVersion: 'v1' } as const;
    expect(() => new StrimziTopic(chart, 'Bad', { ...common, topicName: 'next visit' })).toThrow(
      'kafka topic name "next visit" is invalid: use 1-249 of [a-zA-Z0-9._-]',
    );
    expect(
      () =>
        new StrimziUser(chart, 'User', {
          ...common,
          userName: 'u',
          password: { secretName: 's', key: 'k' },
          acls: [],
        }),
    ).toThrow('kafka user u has no ACLs: grant at least one operation');
  });
});

describe('bucket notifications', () => {
  it('push new raws under the instrument prefix straight to Kafka in shared dev', () => {
    const topic = findObject(dev, 'CephBucketTopic', 'raw-notifications-latiss');
    expect(topic.spec.endpoint).toEqual({
      kafka: { uri: 'kafka://prompt-processing2-kafka-bootstrap.kafka:9092', ackLevel: 'broker' },
    });
    const notification = findObject(dev, 'CephBucketNotification', 'raw-notifications-latiss');
    expect(notification.spec).toEqual({
      topic: 'raw-notifications-latiss',
      events: ['s3:ObjectCreated:*'],
      filter: { keyFilters: [{ name: 'prefix', value: 'LATISS/' }] },
    });
    expect(dev.filter((m) => m.kind === 'ObjectBucketClaim')).toEqual([]);
    expect(dev.filter((m) => m.metadata.name.startsWith('notification-bridge'))).toEqual([]);
  });

  it('go through the bridge, with its Deployment and Service, for a developer', () => {
    const alice = synthInstrument(developerEnvironment('alice'), 'HSC');
    const topic = findObject(alice, 'CephBucketTopic', 'dev-alice-raw-notifications-hsc');
    expect(topic.spec.endpoint).toEqual({
      http: {
        uri: 'http://notification-bridge-hsc.dev-alice-hsc.svc.cluster.local/s3-events',
        sendCloudEvents: false,
      },
    });
    const bridge = findObject(alice, 'Deployment', 'notification-bridge-hsc');
    expect(bridge.spec.template.spec.containers[0].args).toEqual(['prompt-bridge']);
    expect(envOf(bridge.spec.template.spec).get('BUCKET_TOPIC')?.value).toBe(
      'dev-alice-raw-notifications-hsc',
    );
    expect(envOf(bridge.spec.template.spec).get('BRIDGE_HOST')?.value).toBe('0.0.0.0');
    expect(bridge.spec.template.spec.containers[0].readinessProbe).toEqual({
      httpGet: { path: '/healthz', port: 'http' },
    });
    const service = alice.find((m) => m.apiVersion === 'v1' && m.kind === 'Service');
    expect(service?.spec.ports).toEqual([{ name: 'http', port: 80, targetPort: 'http' }]);
    const claim = findObject(alice, 'ObjectBucketClaim', 'dev-alice-pp-hsc');
    expect(claim.metadata.labels).toHaveProperty(
      'bucket-notification-dev-alice-raw-notifications-hsc',
      'dev-alice-raw-notifications-hsc',
    );
  });

  it('fails on a key prefix that would also match other instruments', () => {
    const chart = new Chart(Testing.app(), 'test');
    expect(
      () =>
        new RawBucketNotification(chart, 'N', {
          namespace: 'ns',
          topicName: 't',
          bucketName: 'b',
          keyPrefix: 'LATISS',
          endpoint: { kind: 'http', url: 'http://x' },
          objectStoreName: 's',
          objectStoreNamespace: 'rook-ceph',
        }),
    ).toThrow(/key prefix "LATISS" must end with "\/"/);
  });
});

describe('argo application', () => {
  it('fails on a path outside the repository', () => {
    const chart = new Chart(Testing.app(), 'test');
    expect(
      () =>
        new ArgoApplication(chart, 'App', {
          name: 'a',
          namespace: 'argocd',
          project: 'default',
          repoURL: 'https://example.com/r.git',
          targetRevision: 'main',
          path: '../elsewhere',
          destinationNamespace: 'ns',
          automated: true,
        }),
    ).toThrow('application path "../elsewhere" must be relative to the repository root');
  });
});
