import { describe, expect, it } from 'vitest';
import { developerEnvironment } from '../../infra/environments/developer';
import type { Environment } from '../../infra/environments/environment';
import { USDF_DEV } from '../../infra/environments/usdf-dev';
import { SHARED_ENVIRONMENTS } from '../../infra/synthesize';
import { BRIDGE_CONFIG_ENTRIES } from '../../service/config/bridge-config';
import { FAN_OUT_CONFIG_ENTRIES } from '../../service/config/fanout-config';
import { SERVICE_CONFIG_ENTRIES } from '../../service/config/service-config';
import type { SettingEntry } from '../../service/config/settings';
import { buildValidator, crdFiles, type ManifestValidator } from './support/manifest-validator';
import { type SynthManifest, synthEnvironment } from './support/synth';

const validate = buildValidator();
const ENVIRONMENTS: Environment[] = [
  ...SHARED_ENVIRONMENTS,
  developerEnvironment('alice'),
  developerEnvironment('bob-2', { imageTag: 'DM-12345-latest' }),
  // A cluster on Strimzi ≥ 1.0, where only v1 is served (validated against the 1.2.0 CRDs).
  {
    ...USDF_DEV,
    name: 'strimzi-v1',
    kafka: { ...USDF_DEV.kafka, strimziVersion: '1.2.0', strimziApiVersion: 'v1' },
  },
  // Upstream's hsc-gpu: a GPU, its toleration and a node affinity, checked as core Kubernetes types.
  {
    ...USDF_DEV,
    name: 'gpu',
    knativeFeatures: ['kubernetes.podspec-tolerations', 'kubernetes.podspec-affinity'],
    serviceByInstrument: {
      ...USDF_DEV.serviceByInstrument,
      HSC: {
        gpus: 1,
        affinity: {
          nodeAffinity: {
            preferredDuringSchedulingIgnoredDuringExecution: [
              {
                weight: 1,
                preference: { matchExpressions: [{ key: 'gpu', operator: 'Exists' }] },
              },
            ],
          },
        },
      },
    },
  },
];
const strimziValidators = new Map<string, ManifestValidator>();
/** A validator knowing only the Strimzi CRDs of one operator release (cheap: two small CRDs). */
function strimziValidator(version: string): ManifestValidator {
  const prefix = `strimzi-${version}-`;
  const files = crdFiles().filter((f) => f.startsWith(prefix));
  if (files.length === 0) {
    throw new Error(
      `no CRDs of Strimzi ${version} in infra/crds/: copy ${prefix}*.yaml from ../shared/schemas/crds/`,
    );
  }
  let validator = strimziValidators.get(version);
  if (!validator) {
    validator = buildValidator({ crdFiles: (f) => files.includes(f) });
    strimziValidators.set(version, validator);
  }
  return validator;
}
const SECRET_SETTINGS = new Set(SERVICE_CONFIG_ENTRIES.filter((e) => e.secret).map((e) => e.name));
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** Every container env entry in a manifest, wherever the pod template sits. */
function envEntries(node: unknown): { name: string; value?: unknown; valueFrom?: unknown }[] {
  if (Array.isArray(node)) return node.flatMap(envEntries);
  if (typeof node !== 'object' || node === null) return [];
  return Object.entries(node).flatMap(([key, value]) =>
    key === 'env' && Array.isArray(value) ? (value as { name: string }[]) : envEntries(value),
  );
}

/** Which declared settings each container program (its args) reads, and whether the env must be complete. */
const PROCESSES: Record<string, { entries: readonly SettingEntry[]; complete: boolean }> = {
  'prompt-service': { entries: SERVICE_CONFIG_ENTRIES, complete: true },
  'prompt-fanout': { entries: FAN_OUT_CONFIG_ENTRIES, complete: true },
  'prompt-bridge': { entries: BRIDGE_CONFIG_ENTRIES, complete: true },
  'prompt-apdb': { entries: SERVICE_CONFIG_ENTRIES, complete: false },
  'prompt-repo': { entries: SERVICE_CONFIG_ENTRIES, complete: false },
};

interface Container {
  args: string[];
  env?: { name: string }[];
}

function containers(node: unknown): Container[] {
  if (Array.isArray(node)) return node.flatMap(containers);
  if (typeof node !== 'object' || node === null) return [];
  return Object.entries(node).flatMap(([key, value]) =>
    key === 'containers' && Array.isArray(value) ? (value as Container[]) : containers(value),
  );
}

describe.each(ENVIRONMENTS.map((e) => [e.name, e] as const))('environment %s', (_name, environment) => {
  const manifests: SynthManifest[] = synthEnvironment(environment);

  it('validates every object strictly against the Kubernetes and CRD schemas', () => {
    expect(manifests.length).toBeGreaterThan(10);
    expect(manifests.flatMap(validate)).toEqual([]);
  });

  it("emits Kafka objects in the environment's Strimzi API version", () => {
    const kafka = manifests.filter((m) => m.apiVersion.startsWith('kafka.strimzi.io/'));
    expect(kafka.length).toBeGreaterThan(0);
    expect(new Set(kafka.map((m) => m.apiVersion))).toEqual(
      new Set([`kafka.strimzi.io/${environment.kafka.strimziApiVersion}`]),
    );
  });

  it("validates its Kafka objects against the CRDs of the cluster's own Strimzi release", () => {
    const validateStrimzi = strimziValidator(environment.kafka.strimziVersion);
    const kafka = manifests.filter((m) => m.apiVersion.startsWith('kafka.strimzi.io/'));
    expect(kafka.flatMap(validateStrimzi)).toEqual([]);
  });

  it('names every object with a DNS-1123 label of at most 63 characters', () => {
    const bad = manifests
      .map((m) => m.metadata.name)
      .filter((name) => !DNS_LABEL.test(name) || name.length > 63);
    expect(bad).toEqual([]);
  });

  it('puts every namespaced object in an explicit namespace and the Namespace in none', () => {
    for (const m of manifests) {
      if (m.kind === 'Namespace') expect(m.metadata.namespace).toBeUndefined();
      else expect(m.metadata.namespace, `${m.kind}/${m.metadata.name}`).toMatch(DNS_LABEL);
    }
  });

  it('carries no Secret and no credential value', () => {
    expect(manifests.filter((m) => m.kind === 'Secret')).toEqual([]);
    const inlined = envEntries(manifests).filter(
      (e) => SECRET_SETTINGS.has(e.name as never) || /PASSWORD|SECRET|TOKEN/.test(e.name),
    );
    expect(inlined.length).toBeGreaterThan(0);
    for (const entry of inlined) {
      expect(entry.value, entry.name).toBeUndefined();
      expect(entry.valueFrom).toHaveProperty('secretKeyRef');
    }
    expect(JSON.stringify(manifests)).not.toMatch(/postgresql:\/\/[^@/]*:[^@/]*@/);
  });

  it('gives every process only settings it declares, and all it requires', () => {
    const found = containers(manifests);
    expect(found.length).toBeGreaterThan(0);
    for (const container of found) {
      const process = PROCESSES[container.args[0] ?? ''];
      expect(process, `unknown command ${container.args.join(' ')}`).toBeDefined();
      if (!process) continue;
      const names = new Set((container.env ?? []).map((e) => e.name));
      const declared = new Set(process.entries.map((e) => e.name));
      expect(
        [...names].filter((n) => !declared.has(n)),
        container.args.join(' '),
      ).toEqual([]);
      if (process.complete) {
        const missing = process.entries.filter((e) => e.required && !names.has(e.name)).map((e) => e.name);
        expect(missing, container.args.join(' ')).toEqual([]);
      }
    }
  });

  it('has no two objects of one kind with the same namespace and name', () => {
    const keys = manifests.map(
      (m) => `${m.apiVersion}/${m.kind}/${m.metadata.namespace ?? ''}/${m.metadata.name}`,
    );
    expect(new Set(keys).size).toBe(keys.length);
  });
});

describe('the validator', () => {
  it('fails an unknown field, a wrongly typed field and a kind without a schema', () => {
    const [ksvc] = synthEnvironment(SHARED_ENVIRONMENTS[0] as Environment).filter(
      (m) => m.apiVersion === 'serving.knative.dev/v1',
    );
    const typo = structuredClone(ksvc) as SynthManifest;
    typo.spec.template.spec.containerConcurency = 1;
    typo.spec.template.metadata.annotations['autoscaling.knative.dev/min-scale'] = 3;
    const errors = validate(typo);
    expect(errors.join('\n')).toMatch(/containerConcurency/);
    expect(errors.join('\n')).toMatch(/min-scale/);
    expect(validate({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' } })).toEqual([
      'Widget -/w: no schema for example.com/v1 Widget',
    ]);
  });

  it("fails a toleration or affinity that is not Kubernetes' own type, though Knative's CRD leaves them open", () => {
    const [ksvc] = synthEnvironment(SHARED_ENVIRONMENTS[0] as Environment).filter(
      (m) => m.apiVersion === 'serving.knative.dev/v1',
    );
    const bad = structuredClone(ksvc) as SynthManifest;
    bad.spec.template.spec.tolerations = [{ key: 'nvidia.com/gpu', efect: 'NoSchedule' }];
    bad.spec.template.spec.affinity = { nodeAfinity: {} };
    const errors = validate(bad).join('\n');
    expect(errors).toMatch(/tolerations\/0 .*efect/);
    expect(errors).toMatch(/affinity .*nodeAfinity/);
  });

  it("fails a v1beta2 topic against Strimzi 1.2.0's CRDs, which no longer serve it", () => {
    const topic = synthEnvironment(USDF_DEV).find((m) => m.kind === 'KafkaTopic') as SynthManifest;
    expect(topic.apiVersion).toBe('kafka.strimzi.io/v1beta2');
    expect(strimziValidator('0.49.1')(topic)).toEqual([]);
    expect(strimziValidator('1.2.0')(topic)).toEqual([
      `KafkaTopic kafka/${topic.metadata.name}: no schema for kafka.strimzi.io/v1beta2 KafkaTopic`,
    ]);
    expect(() => strimziValidator('0.40.0')).toThrow(/no CRDs of Strimzi 0.40.0 in infra\/crds\//);
  });

  it('fails a v1 KafkaUser using the singular operation that only v1beta2 accepts', () => {
    const user = {
      apiVersion: 'kafka.strimzi.io/v1',
      kind: 'KafkaUser',
      metadata: { name: 'u', namespace: 'kafka', labels: { 'strimzi.io/cluster': 'c' } },
      spec: {
        authentication: { type: 'scram-sha-512' },
        authorization: {
          type: 'simple',
          acls: [{ resource: { type: 'topic', name: 't' }, operation: 'All' }],
        },
      },
    };
    expect(validate(user).join('\n')).toMatch(/operation/);
    expect(validate({ ...user, apiVersion: 'kafka.strimzi.io/v1beta2' })).toEqual([]);
  });
});
