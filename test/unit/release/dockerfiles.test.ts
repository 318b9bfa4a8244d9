import { readFileSync } from 'node:fs';
import { Copy, DockerfileParser } from 'dockerfile-ast';
import { describe, expect, it } from 'vitest';
import { checkDockerfile } from '../../../scripts/release/dockerfile-policy';

const read = (path: string) => readFileSync(path, 'utf8');
const BASE = 'containers/base.Dockerfile';
const SERVICE = 'containers/service.Dockerfile';
const PROGRAMS = ['service', 'fanout', 'bridge', 'apdb', 'repo', 'tester', 'fits'];

describe('project Dockerfiles follow the policy', () => {
  it.each([BASE, SERVICE])('%s: non-root, pinned bases, no secrets, health check stated', (path) => {
    expect(checkDockerfile(read(path))).toEqual([]);
  });
});

describe('dockerfile policy catches each violation', () => {
  const ok = ['FROM node:20.20.2-bookworm-slim', 'HEALTHCHECK NONE', 'USER 1000'];
  const withLines = (...lines: string[]) => `${lines.join('\n')}\n`;

  it('accepts a compliant file', () => {
    expect(checkDockerfile(withLines(...ok))).toEqual([]);
  });

  it.each([
    ['FROM node:latest', /moving tag "latest"/],
    ['FROM node', /has no tag/],
    ['FROM node:lts-slim', /moving tag "lts-slim"/],
    ['FROM ghcr.io/example/prompt-base:node20', undefined],
    ['FROM ghcr.io/example/prompt-base:latest', /moving tag/],
    ['FROM localhost:5000/prompt-base', /has no tag/],
  ])('fails on an unpinned base: %s', (from, problem) => {
    const findings = checkDockerfile(withLines(from, 'HEALTHCHECK NONE', 'USER 1000'));
    if (problem === undefined) expect(findings).toEqual([]);
    else expect(findings.map((finding) => finding.message)).toEqual([expect.stringMatching(problem)]);
  });

  it('accepts a digest pin and resolves ARG defaults in FROM', () => {
    const digest = `node@sha256:${'a'.repeat(64)}`;
    expect(checkDockerfile(withLines(`FROM ${digest}`, 'HEALTHCHECK NONE', 'USER 1000'))).toEqual([]);
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a Dockerfile variable, not a JS template
    const fromWithArg = 'FROM node:${TAG}';
    expect(
      checkDockerfile(withLines('ARG TAG=latest', fromWithArg, 'HEALTHCHECK NONE', 'USER 1000')),
    ).toEqual([{ line: 2, message: expect.stringContaining('moving tag "latest"') }]);
  });

  it('does not mistake an earlier stage for an unpinned base', () => {
    const file = withLines('FROM node:20.20.2 AS build', 'FROM build', 'HEALTHCHECK NONE', 'USER 1000');
    expect(checkDockerfile(file)).toEqual([]);
  });

  it.each([['USER root'], ['USER 0:0'], ['USER root:root']])(
    'fails when the final stage ends with %s',
    (user) => {
      const findings = checkDockerfile(withLines('FROM node:20.20.2', 'HEALTHCHECK NONE', 'USER 1000', user));
      expect(findings).toEqual([{ line: 4, message: expect.stringContaining('switch to a non-root USER') }]);
    },
  );

  it('fails when only an earlier stage sets a non-root user', () => {
    const file = withLines(
      'FROM node:20.20.2 AS build',
      'USER 1000',
      'FROM node:20.20.2',
      'HEALTHCHECK NONE',
    );
    expect(checkDockerfile(file).map((finding) => finding.message)).toEqual([
      'the final stage sets no USER; end it with a non-root USER',
    ]);
  });

  it.each([
    ['ARG GITHUB_TOKEN'],
    ['ENV AWS_SECRET_ACCESS_KEY=abc'],
    ['ENV PGPASSWORD=hunter2'],
    ['ENV S3_ACCESS_KEY=x'],
    ['ENV CENTRAL_REPO=postgresql://rubin:hunter2@db/lsst'],
    ['ARG KEY_ID=AKIAABCDEFGHIJKLMNOP'],
    ['ENV SASQUATCH_AUTH=x'],
  ])('fails on a secret in %s', (line) => {
    const findings = checkDockerfile(withLines(...ok, line));
    expect(findings).toHaveLength(1);
    expect(findings[0]?.line).toBe(4);
  });

  it.each([
    ['ARG AUTHOR=vera'],
    ['ENV KEYRING_DIR=/etc/keys'],
    ['ENV S3_ENDPOINT_URL=https://s3.example.org'],
  ])('accepts a harmless %s', (line) => {
    expect(checkDockerfile(withLines(...ok, line))).toEqual([]);
  });

  it('fails when the final stage says nothing about health checks', () => {
    const findings = checkDockerfile(withLines('FROM node:20.20.2', 'USER 1000'));
    expect(findings.map((finding) => finding.message)).toEqual([
      expect.stringContaining('declares no HEALTHCHECK'),
    ]);
  });
});

describe('service image', () => {
  const dockerfile = DockerfileParser.parse(read(SERVICE));
  const instructions = dockerfile.getInstructions();
  const finalFrom = instructions.map((instruction) => instruction.getKeyword()).lastIndexOf('FROM');
  const finalStage = instructions.slice(finalFrom);
  const argumentsOf = (keyword: string) =>
    finalStage
      .filter((instruction) => instruction.getKeyword() === keyword)
      .map((instruction) => instruction.getArguments().map((argument) => argument.getValue()));

  it('is multi-stage: the final stage copies only build results, never the source tree', () => {
    expect(dockerfile.getFROMs().map((from) => from.getBuildStage())).toEqual(['build', 'runtime']);
    const copies = finalStage.filter((instruction) => instruction instanceof Copy);
    expect(copies.map((copy) => copy.getFromFlag()?.getValue())).toEqual([
      'build',
      'build',
      'build',
      'build',
    ]);
    const sources = argumentsOf('COPY').map((copy) => copy[0]);
    expect(sources).toEqual(['/app/package.json', '/app/node_modules', '/app/build', '/app/pipelines']);
  });

  it('runs prompt-service by default through tini, and has a launcher for every program', () => {
    expect(argumentsOf('ENTRYPOINT')).toEqual([['["/usr/bin/tini",', '"--"]']]);
    expect(argumentsOf('CMD')).toEqual([['["prompt-service"]']]);
    const launchers = finalStage.find(
      (instruction) =>
        instruction.getKeyword() === 'RUN' && instruction.toString().includes('/app/bin/prompt-'),
    );
    const loop = /for name in ([a-z ]+); do/
      .exec(launchers?.toString() ?? '')?.[1]
      ?.trim()
      .split(' ');
    expect(loop).toEqual(PROGRAMS);
    expect(launchers?.toString()).toContain('/app/build/service/entrypoints/prompt-%s.js');
  });

  it('puts the launchers on PATH and the pipelines where configs expect them', () => {
    const env = finalStage.find((instruction) => instruction.getKeyword() === 'ENV')?.toString() ?? '';
    expect(env).toContain('PATH=/app/bin:$PATH');
    expect(env).toContain('PROMPT_PROCESSING_DIR=/app');
  });

  it('builds with the npm build script and drops dev dependencies', () => {
    const runs = instructions
      .slice(0, finalFrom)
      .filter((instruction) => instruction.getKeyword() === 'RUN')
      .map((instruction) => instruction.getArgumentsContent());
    expect(runs).toContain('npm run build && npm prune --omit=dev --ignore-scripts');
    const scripts = (JSON.parse(read('package.json')) as { scripts: Record<string, string> }).scripts;
    expect(scripts.build).toBe('tsc -p tsconfig.build.json');
  });
});

describe('.dockerignore', () => {
  const rules = read('.dockerignore')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));

  it('is a whitelist: everything is excluded first', () => {
    expect(rules[0]).toBe('*');
  });

  it('lets in every path the service image copies from the build context', () => {
    const contextCopies = DockerfileParser.parse(read(SERVICE))
      .getCOPYs()
      .filter((copy) => copy.getFromFlag() === null)
      .flatMap((copy) => {
        const args = copy.getArguments().map((argument) => argument.getValue());
        return args.slice(0, -1);
      });
    expect(contextCopies.length).toBeGreaterThan(0);
    for (const source of contextCopies) {
      expect(rules, `add !${source} to .dockerignore`).toSatisfy(
        (list: string[]) => list.includes(`!${source}`) || list.includes(`!${source}/`),
      );
    }
  });

  it('never lets in local state or credentials', () => {
    for (const rule of rules.filter((line) => line.startsWith('!'))) {
      expect(rule).not.toMatch(/^!(build|node_modules|\.services|\.env|\.git|\.local)\b|credential|\.aws/);
    }
  });
});

describe('base image', () => {
  const text = read(BASE);

  it('pins the Node.js 20 line the project runs on', () => {
    const initial = DockerfileParser.parse(text).getInitialARGs();
    const version = initial
      .find((arg) => arg.getProperty()?.getName() === 'NODE_VERSION')
      ?.getProperty()
      ?.getValue();
    expect(version).toMatch(/^20\.\d+\.\d+$/);
  });

  it('installs tini for signal forwarding and runs as upstream service account uid', () => {
    expect(text).toMatch(/apt-get install [^\n]*\btini\b/);
    expect(text).toContain('USER 17951:4085');
  });
});

describe('docs/release.md', () => {
  it('documents the probes that replace a Docker HEALTHCHECK', () => {
    const docs = read('docs/release.md');
    expect(docs).toMatch(/^## .*[Pp]robes/m);
    expect(docs).toContain('readinessProbe');
  });
});

describe('the image and the package agree on programs', () => {
  it('has a launcher for every package.json bin, each backed by its entry point', () => {
    const pkg = JSON.parse(read('package.json')) as { bin: Record<string, string> };
    for (const [bin, shim] of Object.entries(pkg.bin)) {
      expect(PROGRAMS.map((p) => `prompt-${p}`)).toContain(bin);
      const entry = /require\('\.\.\/(service\/entrypoints\/[^']+\.ts)'\)/.exec(read(shim))?.[1];
      expect(entry).toBe(`service/entrypoints/${bin}.ts`);
      expect(() => read(entry ?? '')).not.toThrow();
    }
  });
});
