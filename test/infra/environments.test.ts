import { describe, expect, it } from 'vitest';
import { developerEnvironment, validateDeveloperName } from '../../infra/environments/developer';
import { bucketsFor, type Environment } from '../../infra/environments/environment';
import { assertStrimziApiVersion, servedStrimziApiVersions } from '../../infra/environments/strimzi';
import { USDF_DEV } from '../../infra/environments/usdf-dev';
import { USDF_PROD } from '../../infra/environments/usdf-prod';
import { requestedEnvironments } from '../../infra/synthesize';
import { INSTRUMENT_NAMES, instrumentByName } from '../../service/domain/instruments';
import { instrumentTopics } from '../../service/domain/topics';
import { findObject, synthArgo, synthEnvironment, synthInstrument } from './support/synth';

/**
 * Every name an environment claims in a shared system: Kafka, Postgres, the object store, the
 * cluster. Instruments of one environment may share a name (shared dev's one raw bucket), so each
 * environment's claims are a set.
 */
function claims(environment: Environment): string[] {
  const names = environment.instruments.flatMap((name) => {
    const instrument = instrumentByName(name);
    const topics = instrumentTopics(instrument, environment.resourcePrefix);
    const buckets = bucketsFor(environment, instrument);
    return [
      `topic:${topics.nextVisit}`,
      `topic:${topics.rawNotifications}`,
      `topic:${topics.alerts}`,
      `schema:${environment.apdbSchemaOf(instrument)}`,
      `bucket:${buckets.raw}`,
      `bucket:${buckets.users}`,
      `namespace:${environment.namespaceOf(instrument)}`,
    ];
  });
  return [...new Set(names)];
}

/** Names of the objects in the shared Kafka namespace and of RGW topics (global in the store). */
function sharedObjectNames(environment: Environment): string[] {
  return synthEnvironment(environment)
    .filter((m) => m.metadata.namespace === environment.kafka.namespace || m.kind === 'CephBucketTopic')
    .map((m) => `${m.kind}/${m.metadata.name}`);
}

describe('developer environments', () => {
  const alice = developerEnvironment('alice');
  const alicia = developerEnvironment('alice-b');
  const bob = developerEnvironment('bob', { imageTag: 'DM-12345-latest' });

  it('share no topic, APDB schema, bucket or namespace with each other or with shared dev', () => {
    const all = [USDF_DEV, alice, alicia, bob].flatMap(claims);
    const duplicates = all.filter((claim, i) => all.indexOf(claim) !== i);
    expect(duplicates).toEqual([]);
  });

  it('share no Kafka user, topic or RGW topic object with each other or with shared dev', () => {
    const all = [USDF_DEV, alice, alicia, bob].flatMap(sharedObjectNames);
    expect(all.filter((name, i) => all.indexOf(name) !== i)).toEqual([]);
  });

  it('prefix their own names and scale to zero', () => {
    const manifests = synthInstrument(alice, 'LATISS');
    const ksvc = findObject(manifests, 'Service', 'prompt-proto-service-latiss');
    expect(ksvc.metadata.namespace).toBe('dev-alice-latiss');
    expect(ksvc.spec.template.metadata.annotations['autoscaling.knative.dev/min-scale']).toBe('0');
    const env = new Map(
      ksvc.spec.template.spec.containers[0].env.map((e: { name: string; value?: string }) => [
        e.name,
        e.value,
      ]),
    );
    expect(env.get('BUCKET_TOPIC')).toBe('dev-alice-raw-notifications-latiss');
    expect(env.get('IMAGE_BUCKET')).toBe('dev-alice-pp-latiss');
    expect(env.get('CENTRAL_REPO')).toBe('s3://dev-alice-pp-latiss-users/central_repo');
    expect(env.get('READ_CENTRAL_REPO')).toBe('s3://rubin-pp-dev-users/central_repo_2');
    expect(env.get('CONFIG_APDB')).toMatch(/search_path%3Dpp_apdb_latiss_dev_alice$/);
    expect(alicia.apdbSchemaOf(instrumentByName('LATISS'))).toBe('pp_apdb_latiss_dev_alice_b');
  });

  it('deploy the image tag the developer asks for', () => {
    const ksvc = findObject(synthInstrument(bob, 'HSC'), 'Service', 'prompt-proto-service-hsc');
    expect(ksvc.spec.template.spec.containers[0].image).toBe(
      'ghcr.io/lsst-dm/prompt-service:DM-12345-latest',
    );
    expect(ksvc.spec.template.spec.containers[0].imagePullPolicy).toBe('Always');
  });

  it('claim their buckets and fence their namespaces', () => {
    const manifests = synthInstrument(alice, 'LSSTCam');
    const claim = findObject(manifests, 'ObjectBucketClaim', 'dev-alice-pp-lsstcam');
    expect(claim.spec).toEqual({ bucketName: 'dev-alice-pp-lsstcam', storageClassName: 'rook-ceph-bucket' });
    const kinds = manifests.filter((m) => m.metadata.namespace === 'dev-alice-lsstcam').map((m) => m.kind);
    expect(kinds).toEqual(
      expect.arrayContaining([
        'ResourceQuota',
        'LimitRange',
        'NetworkPolicy',
        'Role',
        'RoleBinding',
        'ServiceAccount',
      ]),
    );
    const binding = findObject(manifests, 'RoleBinding', 'developer');
    expect(binding.subjects).toEqual([
      { apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: 'alice' },
    ]);
  });

  it('roll out a re-pushed image when the developer bumps the revision', () => {
    const revised = requestedEnvironments({ developer: 'alice', revision: '7' }).find((e) => e.developer);
    const ksvc = findObject(
      synthInstrument(revised as Environment, 'HSC'),
      'Service',
      'prompt-proto-service-hsc',
    );
    expect(ksvc.spec.template.metadata.annotations.revision).toBe('7');
    expect(ksvc.spec.template.metadata.annotations['autoscaling.knative.dev/min-scale']).toBe('0');
  });

  it('are written under dist/developers/<name> and have no Argo CD application', () => {
    expect(alice.distPath).toBe('developers/alice');
    expect(alice.argo).toBeUndefined();
    expect(() => synthArgo(alice)).toThrow(/has no Argo CD settings: apply its dist\/ folder by hand/);
  });

  it('are added to a synth run only when asked for', () => {
    expect(requestedEnvironments({}).map((e) => e.name)).toEqual([
      'usdf-prompt-processing-dev',
      'usdf-prompt-processing',
    ]);
    expect(requestedEnvironments({ developer: 'carol' }).map((e) => e.name)).toContain('dev-carol');
  });

  it.each([
    ['Alice', 'upper case'],
    ['1alice', 'a leading digit'],
    ['alice-', 'a trailing hyphen'],
    ['al--ice', 'a double hyphen'],
    ['al_ice', 'an underscore'],
    ['a-very-long-developer-name', 'more than 20 characters'],
    ['', 'nothing'],
  ])('fails on the developer name %j (%s) with a message saying what is allowed', (name) => {
    expect(() => validateDeveloperName(name)).toThrow(
      `invalid developer name "${name}": use 1-20 lower-case letters, digits and single hyphens`,
    );
    expect(() => developerEnvironment(name)).toThrow(/invalid developer name/);
  });
});

describe('shared environments', () => {
  it('deploy every catalog instrument to dev and the observatory cameras to prod', () => {
    expect(USDF_DEV.instruments).toEqual(INSTRUMENT_NAMES);
    expect(USDF_PROD.instruments).toEqual(['LATISS', 'LSSTComCam', 'LSSTCam']);
  });

  it('sync dev automatically with prune and leave prod to a person', () => {
    const dev = findObject(synthArgo(USDF_DEV), 'Application', 'prompt-proto-service-latiss');
    expect(dev.spec.syncPolicy.automated).toEqual({ prune: true, selfHeal: true });
    expect(dev.spec.source).toEqual({
      repoURL: USDF_DEV.argo?.repoURL,
      targetRevision: 'main',
      path: 'dist/usdf-prompt-processing-dev/latiss',
    });
    expect(dev.spec.destination.namespace).toBe('prompt-proto-service-latiss');
    const prod = findObject(synthArgo(USDF_PROD), 'Application', 'prompt-proto-service-lsstcam');
    expect(prod.spec.syncPolicy.automated).toBeUndefined();
    expect(prod.spec.source.path).toBe('dist/usdf-prompt-processing/lsstcam');
  });

  it("include a root application that syncs the environment's applications", () => {
    const root = findObject(synthArgo(USDF_DEV), 'Application', 'prompt-processing');
    expect(root.metadata.namespace).toBe('argocd');
    expect(root.spec.source.path).toBe('dist/usdf-prompt-processing-dev/argocd');
  });

  it('fails on an instrument the environment does not deploy', () => {
    expect(() => synthInstrument(USDF_PROD, 'HSC')).toThrow(
      'instrument HSC is not deployed to usdf-prompt-processing: use one of LATISS, LSSTComCam, LSSTCam',
    );
  });
});

describe('instrument lookup', () => {
  it('fails on an unknown instrument with the names that exist', () => {
    expect(() => instrumentByName('LSSTCam-imSim')).toThrow(
      'unknown instrument "LSSTCam-imSim": use one of LATISS, LSSTComCam, LSSTCam, HSC',
    );
  });
});

describe('strimzi API version per environment', () => {
  it("is served by the environment's Strimzi release: v1 from 0.49, v1beta2 until 1.0", () => {
    expect(servedStrimziApiVersions('0.45.0')).toEqual(['v1beta2']);
    expect(servedStrimziApiVersions('0.49.1')).toEqual(['v1', 'v1beta2']);
    expect(servedStrimziApiVersions('1.2.0')).toEqual(['v1']);
    for (const environment of [USDF_DEV, USDF_PROD]) {
      expect(servedStrimziApiVersions(environment.kafka.strimziVersion)).toContain(
        environment.kafka.strimziApiVersion,
      );
    }
  });

  it('fails on v1beta2 with Strimzi 1.x, naming the version to use', () => {
    const upgraded = { ...USDF_DEV, kafka: { ...USDF_DEV.kafka, strimziVersion: '1.2.0' } };
    expect(() => synthInstrument(upgraded, 'LATISS')).toThrow(
      "strimzi 1.2.0 does not serve kafka.strimzi.io/v1beta2: set strimziApiVersion to 'v1', or correct strimziVersion",
    );
  });

  it('fails on v1 before Strimzi 0.49 and on a version that is not a release number', () => {
    expect(() => assertStrimziApiVersion('0.45.0', 'v1')).toThrow(
      "strimzi 0.45.0 does not serve kafka.strimzi.io/v1: set strimziApiVersion to 'v1beta2'",
    );
    expect(() => assertStrimziApiVersion('latest', 'v1')).toThrow(
      'strimzi version "latest" is not MAJOR.MINOR.PATCH',
    );
  });
});
