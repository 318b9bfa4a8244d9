import { Chart, Testing } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import {
  PromptService,
  type PromptServiceProps,
  requestTimeoutSeconds,
} from '../../infra/constructs/prompt-service';
import { USDF_DEV } from '../../infra/environments/usdf-dev';
import { USDF_PROD } from '../../infra/environments/usdf-prod';
import { SERVICE_CONFIG_ENTRIES } from '../../service/config/service-config';
import { INSTRUMENTS } from '../../service/domain/instruments';
import { findObject, type SynthManifest, synthInstrument } from './support/synth';

const REQUIRED_ENV: PromptServiceProps['env'] = {
  CENTRAL_REPO: 's3://users/central_repo',
  IMAGE_BUCKET: 'raw',
  MAIN_PIPELINES_CONFIG: '- pipelines: []',
  PREPROCESSING_PIPELINES_CONFIG: '- pipelines: []',
};

function synthService(props: Partial<PromptServiceProps> = {}): SynthManifest {
  const chart = new Chart(Testing.app(), 'test');
  new PromptService(chart, 'Service', {
    instrument: INSTRUMENTS.LATISS,
    namespace: 'ns',
    environment: 'test',
    image: 'example/prompt-service:1',
    env: REQUIRED_ENV,
    maxRevisionTimeoutSeconds: 1200,
    ...props,
  });
  return Testing.synth(chart)[0] as SynthManifest;
}

function envOf(ksvc: SynthManifest): Map<string, { value?: string; valueFrom?: unknown }> {
  const container = ksvc.spec.template.spec.containers[0];
  return new Map(container.env.map((e: { name: string }) => [e.name, e]));
}

describe('PromptService in shared dev (upstream chart values)', () => {
  const manifests = synthInstrument(USDF_DEV, 'LATISS');
  const ksvc = findObject(manifests, 'Service', 'prompt-proto-service-latiss');
  const template = ksvc.spec.template;
  const annotations = template.metadata.annotations;
  const container = template.spec.containers[0];
  const env = envOf(ksvc);

  it('is the Knative Service prompt-proto-service-<instrument> in the instrument namespace', () => {
    expect(ksvc.apiVersion).toBe('serving.knative.dev/v1');
    expect(ksvc.metadata.namespace).toBe('prompt-proto-service-latiss');
  });

  it('handles one request per pod', () => {
    expect(template.spec.containerConcurrency).toBe(1);
    expect(env.get('WORKER_COUNT')?.value).toBe('1');
  });

  it('sets LATISS autoscaling as strings', () => {
    expect(annotations['autoscaling.knative.dev/min-scale']).toBe('3');
    expect(annotations['autoscaling.knative.dev/max-scale']).toBe('30');
    expect(annotations['autoscaling.knative.dev/target-utilization-percentage']).toBe('60');
    expect(annotations['autoscaling.knative.dev/target-burst-capacity']).toBe('-1');
    for (const value of Object.values(annotations)) expect(typeof value).toBe('string');
  });

  it('sizes the queue-proxy sidecar', () => {
    expect(annotations['queue.sidecar.serving.knative.dev/cpu-resource-request']).toBe('25m');
    expect(annotations['queue.sidecar.serving.knative.dev/cpu-resource-limit']).toBe('1000m');
    expect(annotations['queue.sidecar.serving.knative.dev/memory-resource-request']).toBe('400Mi');
    expect(annotations['queue.sidecar.serving.knative.dev/memory-resource-limit']).toBe('800Mi');
    expect(annotations['queue.sidecar.serving.knative.dev/ephemeral-storage-resource-request']).toBe('400Mi');
    expect(annotations['queue.sidecar.serving.knative.dev/ephemeral-storage-resource-limit']).toBe('450Mi');
  });

  it('derives the request timeouts from the worker timeout', () => {
    expect(env.get('WORKER_TIMEOUT')?.value).toBe('900');
    expect(template.spec.timeoutSeconds).toBe(1200);
    expect(template.spec.idleTimeoutSeconds).toBe(1200);
    expect(template.spec.responseStartTimeoutSeconds).toBe(1200);
  });

  it('requests upstream resources', () => {
    expect(container.resources.requests).toEqual({ cpu: '1', memory: '2Gi', 'ephemeral-storage': '5Gi' });
    expect(container.resources.limits).toEqual({ cpu: '1', memory: '8Gi', 'ephemeral-storage': '5Gi' });
  });

  it('keeps local repos in a size-limited emptyDir at /tmp-butler', () => {
    expect(template.spec.volumes).toContainEqual({ name: 'ephemeral', emptyDir: { sizeLimit: '5Gi' } });
    expect(container.volumeMounts).toContainEqual({ name: 'ephemeral', mountPath: '/tmp-butler' });
    expect(env.get('LOCAL_REPOS')?.value).toBe('/tmp-butler');
  });

  it('runs non-root on a read-only root filesystem', () => {
    expect(container.securityContext).toMatchObject({
      runAsNonRoot: true,
      readOnlyRootFilesystem: true,
      allowPrivilegeEscalation: false,
    });
  });

  it('carries the revision annotation that forces a rollout', () => {
    expect(annotations.revision).toBe('1');
  });

  it('keeps service links, as upstream', () => {
    expect(template.spec.enableServiceLinks).toBe(true);
  });

  it('pulls dev images every start and names topics, buckets and the APDB schema for the instrument', () => {
    expect(container.image).toBe('ghcr.io/lsst-dm/prompt-service:latest');
    expect(container.imagePullPolicy).toBe('Always');
    expect(env.get('BUCKET_TOPIC')?.value).toBe('raw-notifications-latiss');
    expect(env.get('AP_KAFKA_TOPIC')?.value).toBe('alerts-latiss');
    expect(env.get('IMAGE_BUCKET')?.value).toBe('rubin-pp-dev');
    expect(env.get('CENTRAL_REPO')?.value).toBe('s3://rubin-pp-dev-users/central_repo_2');
    expect(env.get('CONFIG_APDB')?.value).toMatch(/search_path%3Dpp_apdb_latiss$/);
    expect(env.get('MESSAGE_EXPIRATION')?.value).toBe('600000000');
    expect(env.get('SKYMAP')?.value).toBe('latiss_v1');
    // A literal ${VAR}: the service expands it, not JavaScript.
    const dir = `${'$'}{PROMPT_PROCESSING_DIR}/pipelines/LATISS`;
    expect(env.get('MAIN_PIPELINES_CONFIG')?.value).toBe(
      `- pipelines:\n    - ${dir}/ApPipe.yaml\n    - ${dir}/Isr.yaml\n`,
    );
  });

  it('takes credentials only from the service secret', () => {
    expect(env.get('AWS_SECRET_ACCESS_KEY')).toEqual({
      name: 'AWS_SECRET_ACCESS_KEY',
      valueFrom: { secretKeyRef: { name: 'prompt-proto-service-latiss-secret', key: 's3_secret_key' } },
    });
    expect(env.get('AP_KAFKA_PRODUCER_PASSWORD')?.valueFrom).toEqual({
      secretKeyRef: { name: 'prompt-proto-service-latiss-secret', key: 'alert_stream_pass' },
    });
  });

  it('emits only settings the service declares, and every required one', () => {
    const declared = new Set(SERVICE_CONFIG_ENTRIES.map((e) => e.name as string));
    expect([...env.keys()].filter((name) => !declared.has(name))).toEqual([]);
    const required = SERVICE_CONFIG_ENTRIES.filter((e) => e.required).map((e) => e.name as string);
    expect(required.filter((name) => !env.has(name))).toEqual([]);
  });
});

describe('PromptService per instrument and environment', () => {
  it('scales LSSTCam to 150 pods in dev and 600 in prod, with prod pipelines', () => {
    const dev = findObject(synthInstrument(USDF_DEV, 'LSSTCam'), 'Service', 'prompt-proto-service-lsstcam');
    const prod = findObject(synthInstrument(USDF_PROD, 'LSSTCam'), 'Service', 'prompt-proto-service-lsstcam');
    expect(dev.spec.template.metadata.annotations['autoscaling.knative.dev/max-scale']).toBe('150');
    expect(prod.spec.template.metadata.annotations['autoscaling.knative.dev/max-scale']).toBe('600');
    expect(prod.spec.template.spec.containers[0].imagePullPolicy).toBe('IfNotPresent');
    expect(envOf(prod).get('IMAGE_TIMEOUT')?.value).toBe('120');
    expect(envOf(prod).get('MAIN_PIPELINES_CONFIG')?.value).toMatch(
      /ApPipe.yaml\n.*SingleFrame.yaml\n.*Isr.yaml/,
    );
  });

  it('leaves target-burst-capacity to Knative unless the instrument sets it', () => {
    const hsc = findObject(synthInstrument(USDF_DEV, 'HSC'), 'Service', 'prompt-proto-service-hsc');
    expect(hsc.spec.template.metadata.annotations).not.toHaveProperty(
      'autoscaling.knative.dev/target-burst-capacity',
    );
  });

  it('caps the request timeout at 1200 s and otherwise uses twice the worker timeout plus the margin', () => {
    expect(requestTimeoutSeconds(900, 10)).toBe(1200);
    expect(requestTimeoutSeconds(200, 10)).toBe(410);
    expect(synthService({ workerTimeoutSeconds: 100 }).spec.template.spec.timeoutSeconds).toBe(210);
  });

  it('changes only the revision annotation when the revision is bumped', () => {
    const before = synthService();
    const after = synthService({ revision: '2' });
    expect(after.spec.template.metadata.annotations.revision).toBe('2');
    after.spec.template.metadata.annotations.revision = '1';
    expect(after).toEqual(before);
  });

  it('has the Knative Service as its default child', () => {
    const chart = new Chart(Testing.app(), 'test');
    const service = new PromptService(chart, 'Service', {
      instrument: INSTRUMENTS.HSC,
      namespace: 'ns',
      environment: 'test',
      image: 'i',
      env: REQUIRED_ENV,
      maxRevisionTimeoutSeconds: 1200,
    });
    expect(service.node.defaultChild).toBe(service.resource);
    expect(service.url).toBe('http://prompt-proto-service-hsc.ns.svc.cluster.local');
  });
});

describe('PromptService validation', () => {
  it('fails when max-scale is below min-scale', () => {
    expect(() => synthService({ minScale: 3, maxScale: 2 })).toThrow(
      'max-scale (2) is below min-scale (3): raise maxScale or lower minScale',
    );
  });

  it('fails when the request timeout exceeds the Knative max-revision-timeout', () => {
    expect(() => synthService({ maxRevisionTimeoutSeconds: 600 })).toThrow(
      /request timeout 1200 s \(from worker timeout 900 s\) is above the cluster's Knative max-revision-timeout-seconds \(600\)/,
    );
  });

  it('fails on the default Knative cap when none is given', () => {
    expect(() => synthService({ maxRevisionTimeoutSeconds: undefined })).toThrow(
      /max-revision-timeout-seconds \(600\)/,
    );
  });

  it('fails on an env var the service does not declare', () => {
    expect(() =>
      synthService({ env: { ...REQUIRED_ENV, NOT_A_SETTING: 'x' } as PromptServiceProps['env'] }),
    ).toThrow(/env var NOT_A_SETTING is not a declared setting/);
  });

  it('fails when a required setting is missing', () => {
    const { IMAGE_BUCKET: _omitted, ...withoutBucket } = REQUIRED_ENV;
    expect(() => synthService({ env: withoutBucket })).toThrow(/required settings missing: IMAGE_BUCKET/);
  });

  it('fails when a credential is given as a plain value', () => {
    expect(() => synthService({ env: { ...REQUIRED_ENV, PGPASSWORD: 'hunter2' } })).toThrow(
      /PGPASSWORD is a credential: pass it as a secret key/,
    );
  });

  it('fails when a setting Knative owns is set', () => {
    expect(() => synthService({ env: { ...REQUIRED_ENV, PORT: '8080' } })).toThrow(
      /PORT is set by the platform/,
    );
  });

  it('fails on a value the service would reject at start', () => {
    expect(() =>
      synthService({ env: { ...REQUIRED_ENV, BUCKET_NOTIFICATION_KAFKA_OFFSET_RESET: 'newest' } }),
    ).toThrow(/invalid setting values: BUCKET_NOTIFICATION_KAFKA_OFFSET_RESET/);
  });

  it('fails on a negative min-scale and a zero concurrency', () => {
    expect(() => synthService({ minScale: -1 })).toThrow(/min-scale \(-1\) must be a whole number/);
    expect(() => synthService({ containerConcurrency: 0 })).toThrow(/container concurrency \(0\)/);
  });
});

describe('PromptService scheduling (tolerations, affinity, GPUs)', () => {
  const affinity = {
    nodeAffinity: {
      requiredDuringSchedulingIgnoredDuringExecution: {
        nodeSelectorTerms: [{ matchExpressions: [{ key: 'node-role', operator: 'In', values: ['pp'] }] }],
      },
    },
  };
  const bothFlags = ['kubernetes.podspec-tolerations', 'kubernetes.podspec-affinity'] as const;

  it('renders tolerations and affinity where the cluster enables their Knative flags', () => {
    const toleration = { key: 'dedicated', operator: 'Equal', value: 'pp', effect: 'NoSchedule' };
    const spec = synthService({ tolerations: [toleration], affinity, knativeFeatures: bothFlags }).spec
      .template.spec;
    expect(spec.tolerations).toEqual([toleration]);
    expect(spec.affinity).toEqual(affinity);
  });

  it('leaves tolerations and affinity out by default, so no flag is needed', () => {
    const spec = synthService().spec.template.spec;
    expect(spec).not.toHaveProperty('tolerations');
    expect(spec).not.toHaveProperty('affinity');
    expect(spec.containers[0].resources.limits).not.toHaveProperty('nvidia.com/gpu');
  });

  it('asks for GPUs with the nvidia.com/gpu limit and tolerates the GPU taint (upstream hsc-gpu)', () => {
    const spec = synthService({ gpus: 1, knativeFeatures: bothFlags }).spec.template.spec;
    expect(spec.containers[0].resources.limits['nvidia.com/gpu']).toBe('1');
    expect(spec.tolerations).toEqual([{ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' }]);
  });

  it('keeps a GPU toleration given explicitly instead of adding a second one', () => {
    const own = { key: 'nvidia.com/gpu', operator: 'Equal', value: 'present', effect: 'NoSchedule' };
    const spec = synthService({ gpus: 2, tolerations: [own], knativeFeatures: bothFlags }).spec.template.spec;
    expect(spec.tolerations).toEqual([own]);
    expect(spec.containers[0].resources.limits['nvidia.com/gpu']).toBe('2');
  });

  it('fails on tolerations when the cluster has not enabled kubernetes.podspec-tolerations', () => {
    expect(() => synthService({ gpus: 1 })).toThrow(
      'prompt service LATISS: tolerations needs kubernetes.podspec-tolerations: set the flag to "enabled" ' +
        "in the config-features ConfigMap (knative-serving namespace) and list it in the environment's " +
        'knativeFeatures, or drop the field',
    );
  });

  it('fails on affinity when the cluster has not enabled kubernetes.podspec-affinity', () => {
    expect(() => synthService({ affinity, knativeFeatures: ['kubernetes.podspec-tolerations'] })).toThrow(
      /affinity needs kubernetes.podspec-affinity/,
    );
  });

  it('fails on a fractional or negative GPU count', () => {
    expect(() => synthService({ gpus: -1 })).toThrow('gpus (-1) must be a whole number of at least 0');
    expect(() => synthService({ gpus: 0.5 })).toThrow(/gpus \(0.5\)/);
  });
});

describe('PromptService request timeouts', () => {
  it('defaults the idle and response-start timeouts to the request timeout, as upstream', () => {
    const spec = synthService({ workerTimeoutSeconds: 300 }).spec.template.spec;
    expect([spec.timeoutSeconds, spec.idleTimeoutSeconds, spec.responseStartTimeoutSeconds]).toEqual([
      610, 610, 610,
    ]);
  });

  it('takes explicit idle and response-start timeouts', () => {
    const spec = synthService({ idleTimeoutSeconds: 60, responseStartTimeoutSeconds: 300 }).spec.template
      .spec;
    expect(spec.idleTimeoutSeconds).toBe(60);
    expect(spec.responseStartTimeoutSeconds).toBe(300);
  });

  it('fails when the response-start timeout exceeds the request timeout or the idle timeout the cap', () => {
    expect(() => synthService({ workerTimeoutSeconds: 100, responseStartTimeoutSeconds: 211 })).toThrow(
      'response-start timeout (211 s) must be a whole number of seconds from 1 to the request timeout (210)',
    );
    expect(() => synthService({ idleTimeoutSeconds: 1201 })).toThrow(
      "idle timeout (1201 s) must be a whole number of seconds from 1 to the cluster's max-revision-timeout-seconds (1200)",
    );
  });
});

describe('PromptService credential files (upstream s3.cred_file_auth, registry.centralRepoFile)', () => {
  const secret = (key: string) => ({ secretName: 'prompt-proto-service-latiss-secret', key });

  it('mounts the S3 credentials file read-only and points AWS_SHARED_CREDENTIALS_FILE at it', () => {
    const ksvc = synthService({ s3CredentialsFile: secret('s3_credentials_file') });
    const spec = ksvc.spec.template.spec;
    expect(spec.volumes).toContainEqual({
      name: 's3-credentials-file',
      secret: {
        secretName: 'prompt-proto-service-latiss-secret',
        defaultMode: 0o444,
        items: [{ key: 's3_credentials_file', path: 'credentials' }],
      },
    });
    expect(spec.containers[0].volumeMounts).toContainEqual({
      name: 's3-credentials-file',
      mountPath: '/app/s3',
      readOnly: true,
    });
    expect(envOf(ksvc).get('AWS_SHARED_CREDENTIALS_FILE')?.value).toBe('/app/s3/credentials');
  });

  it("mounts the central repo's butler.yaml where CENTRAL_REPO points", () => {
    const ksvc = synthService({
      env: { ...REQUIRED_ENV, CENTRAL_REPO: '/app/central-repo' },
      centralRepoFile: secret('central_repo_file'),
    });
    const spec = ksvc.spec.template.spec;
    expect(spec.volumes).toContainEqual({
      name: 'central-repo-file',
      secret: {
        secretName: 'prompt-proto-service-latiss-secret',
        defaultMode: 0o444,
        items: [{ key: 'central_repo_file', path: 'butler.yaml' }],
      },
    });
    expect(spec.containers[0].volumeMounts).toContainEqual({
      name: 'central-repo-file',
      mountPath: '/app/central-repo',
      readOnly: true,
    });
  });

  it('mounts neither file by default', () => {
    const names = synthService().spec.template.spec.volumes.map((v: { name: string }) => v.name);
    expect(names).toEqual(['ephemeral', 'tmp']);
  });

  it('fails when neither CENTRAL_REPO nor READ_CENTRAL_REPO names the mounted butler.yaml', () => {
    expect(() =>
      synthService({ centralRepoFile: secret('central_repo_file'), centralRepoFileDir: '/app/repo' }),
    ).toThrow(
      "the central repo's butler.yaml is mounted at /app/repo but neither CENTRAL_REPO (s3://users/central_repo) " +
        'nor READ_CENTRAL_REPO names it: set one to /app/repo',
    );
  });

  it('fails when AWS_SHARED_CREDENTIALS_FILE is also given as env', () => {
    expect(() =>
      synthService({
        env: { ...REQUIRED_ENV, AWS_SHARED_CREDENTIALS_FILE: '/elsewhere' },
        s3CredentialsFile: secret('s3_credentials_file'),
      }),
    ).toThrow(/AWS_SHARED_CREDENTIALS_FILE is set by s3CredentialsFile: remove it from env/);
  });
});

describe('PromptService metrics and ephemeris settings', () => {
  it('uploads metrics anonymously in dev and prod, under their own namespaces, with no MP_SKY_URL', () => {
    const dev = envOf(findObject(synthInstrument(USDF_DEV, 'HSC'), 'Service', 'prompt-proto-service-hsc'));
    const prod = envOf(
      findObject(synthInstrument(USDF_PROD, 'LATISS'), 'Service', 'prompt-proto-service-latiss'),
    );
    expect(dev.get('SASQUATCH_URL')?.value).toBe(
      'https://usdf-rsp-dev.slac.stanford.edu/sasquatch-rest-proxy',
    );
    expect(dev.get('DAF_BUTLER_SASQUATCH_NAMESPACE')?.value).toBe('lsst.prompt');
    expect(prod.get('DAF_BUTLER_SASQUATCH_NAMESPACE')?.value).toBe('lsst.prompt.prod');
    for (const env of [dev, prod]) {
      expect(env.has('SASQUATCH_TOKEN')).toBe(false);
      expect(env.has('MP_SKY_URL')).toBe(false);
    }
  });

  it('takes the Sasquatch token from the service secret and sets MP_SKY_URL where configured', () => {
    const environment = {
      ...USDF_DEV,
      observability: {
        ...USDF_DEV.observability,
        sasquatchToken: true,
        mpSkyUrl: 'http://mpsky.example:9000',
      },
    };
    const env = envOf(findObject(synthInstrument(environment, 'HSC'), 'Service', 'prompt-proto-service-hsc'));
    expect(env.get('SASQUATCH_TOKEN')?.valueFrom).toEqual({
      secretKeyRef: { name: 'prompt-proto-service-hsc-secret', key: 'sasquatch_token' },
    });
    expect(env.get('MP_SKY_URL')?.value).toBe('http://mpsky.example:9000');
  });

  it('asks for no token when metrics upload is off, whatever the token setting (upstream)', () => {
    const environment = {
      ...USDF_DEV,
      observability: { ...USDF_DEV.observability, sasquatchUrl: '', sasquatchToken: true },
    };
    const env = envOf(findObject(synthInstrument(environment, 'HSC'), 'Service', 'prompt-proto-service-hsc'));
    expect(env.get('SASQUATCH_URL')?.value).toBe('');
    expect(env.has('SASQUATCH_TOKEN')).toBe(false);
  });
});
