import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { developerEnvironment } from '../../infra/environments/developer';
import { USDF_DEV } from '../../infra/environments/usdf-dev';
import { USDF_PROD } from '../../infra/environments/usdf-prod';
import { parseSynthArgs } from '../../infra/synth-args';
import { requestedEnvironments, synthesize } from '../../infra/synthesize';
import { instrumentByName } from '../../service/domain/instruments';
import { findObject, synthArgo, synthTeardown } from './support/synth';

const alice = developerEnvironment('alice');

describe('developer teardown', () => {
  const [job] = synthTeardown(alice, 'LATISS');

  it("empties the developer's APDB schema with prompt-apdb reset, from the developer's namespace", () => {
    expect(job?.kind).toBe('Job');
    expect(job?.metadata).toMatchObject({ name: 'reset-apdb-schema', namespace: 'dev-alice-latiss' });
    const container = job?.spec.template.spec.containers[0];
    expect(container.args).toEqual([
      'prompt-apdb',
      'reset',
      '--yes',
      '--namespace',
      'pp_apdb_latiss_dev_alice',
      '--db-url',
      'postgresql://rubin@usdf-prompt-processing-dev.slac.stanford.edu:5432/lsst-devl',
    ]);
    expect(container.env).toEqual([
      {
        name: 'PGPASSWORD',
        valueFrom: { secretKeyRef: { name: 'prompt-proto-service-latiss-secret', key: 'db_password' } },
      },
    ]);
    expect(container.image).toBe('ghcr.io/lsst-dm/prompt-service:latest');
  });

  it('is a plain Job applied by hand, not an Argo CD hook', () => {
    expect(job?.metadata.annotations).toBeUndefined();
    expect(job?.spec.template.spec.restartPolicy).toBe('Never');
  });

  it('resets only the schema of the developer and instrument it belongs to', () => {
    const schemas = ['alice', 'bob'].flatMap((name) =>
      (['LATISS', 'HSC'] as const).map(
        (instrument) =>
          synthTeardown(developerEnvironment(name), instrument)[0]?.spec.template.spec.containers[0].args[4],
      ),
    );
    expect(schemas).toEqual([
      'pp_apdb_latiss_dev_alice',
      'pp_apdb_hsc_dev_alice',
      'pp_apdb_latiss_dev_bob',
      'pp_apdb_hsc_dev_bob',
    ]);
    expect(schemas).not.toContain(USDF_DEV.apdbSchemaOf(instrumentByName('LATISS')));
  });

  it('fails for a shared environment, which Argo CD tears down', () => {
    expect(() => synthTeardown(USDF_DEV, 'LATISS')).toThrow(
      'environment usdf-prompt-processing-dev is shared: tear it down through Argo CD (delete its Applications)',
    );
  });
});

describe('npm run synth -- --teardown', () => {
  const outdirs: string[] = [];
  afterAll(() => {
    for (const dir of outdirs) rmSync(dir, { recursive: true, force: true });
  });

  it('writes the teardown Jobs beside the developer environment, and nothing for shared ones', () => {
    const outdir = mkdtempSync(path.join(tmpdir(), 'prompt-teardown-'));
    outdirs.push(outdir);
    synthesize({ developer: 'carol', teardown: true }, outdir);
    const teardown = path.join(outdir, 'developers/carol/teardown');
    expect(readdirSync(teardown).sort()).toEqual(['hsc', 'latiss', 'lsstcam', 'lsstcomcam']);
    expect(readdirSync(path.join(teardown, 'hsc'))).toEqual(['Job.reset-apdb-schema.k8s.yaml']);
    expect(readdirSync(path.join(outdir, 'developers/carol'))).toContain('latiss');
    expect(readdirSync(path.join(outdir, 'usdf-prompt-processing-dev'))).not.toContain('teardown');
  });

  it('parses the options and checks them before cdk8s empties dist/', () => {
    expect(parseSynthArgs(['--developer', 'jdoe', '--teardown'])).toEqual({
      developer: 'jdoe',
      teardown: true,
    });
    expect(parseSynthArgs(['--developer', 'jdoe', '--image-tag', 'DM-1-latest'])).toEqual({
      developer: 'jdoe',
      imageTag: 'DM-1-latest',
    });
    expect(parseSynthArgs(['--developer', 'jdoe', '--revision', '2'])).toEqual({
      developer: 'jdoe',
      revision: '2',
    });
    expect(parseSynthArgs([])).toEqual({});
  });

  it('fails on --teardown or --image-tag without --developer', () => {
    expect(() => parseSynthArgs(['--teardown'])).toThrow(
      '--teardown: only for a developer environment: add --developer <name>',
    );
    expect(() => parseSynthArgs(['--image-tag', 't', '--revision', '2'])).toThrow(
      /^--image-tag, --revision: only for a developer environment/,
    );
    expect(() => requestedEnvironments({ teardown: true })).toThrow(/teardown needs a developer/);
  });

  it('fails on an unknown option or an invalid developer name', () => {
    expect(() => parseSynthArgs(['--developer', 'jdoe', '--tear-down'])).toThrow(
      /--tear-down[\s\S]*usage: npm run synth/,
    );
    expect(() => parseSynthArgs(['--developer', 'J.Doe', '--teardown'])).toThrow(
      /invalid developer name "J.Doe"/,
    );
  });
});

describe('shared environments are torn down through Argo CD', () => {
  it("delete an instrument's objects with its Application, but nothing with the root one", () => {
    for (const environment of [USDF_DEV, USDF_PROD]) {
      const apps = synthArgo(environment);
      expect(findObject(apps, 'Application', 'prompt-proto-service-latiss').metadata).toMatchObject({
        finalizers: ['resources-finalizer.argocd.argoproj.io'],
      });
      expect(findObject(apps, 'Application', 'prompt-processing').metadata).not.toHaveProperty('finalizers');
    }
  });
});
