import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { type ImageTagRequest, ImageTagRuleError, imageTags } from '../../../scripts/release/image-tags';
import { InvalidReleaseVersionError } from '../../../scripts/release/release-version';

interface TagCase {
  readonly name: string;
  readonly request: ImageTagRequest;
  readonly tags: readonly string[];
}

const cases: readonly TagCase[] = [
  {
    name: 'ticket branch push: prefix is the ticket',
    request: { event: 'push', ref: 'refs/heads/tickets/DM-12345', baseTag: 'latest' },
    tags: ['DM-12345-latest'],
  },
  {
    name: 'user branch push: prefix is the last path segment',
    request: { event: 'push', ref: 'refs/heads/u/jdoe/topic', baseTag: 'node20' },
    tags: ['topic-node20'],
  },
  {
    name: 'ticket branch with a runtime version gets both base and version tags',
    request: {
      event: 'push',
      ref: 'refs/heads/tickets/DM-12345',
      baseTag: 'latest',
      runtimeVersion: '20.20.2',
    },
    tags: ['DM-12345-latest', 'DM-12345-node20.20.2'],
  },
  {
    name: 'pull request: the branch comes from head_ref, not the merge ref',
    request: {
      event: 'pull_request',
      ref: 'refs/pull/42/merge',
      headRef: 'tickets/DM-12345',
      baseTag: 'node20.20.2',
    },
    tags: ['DM-12345-node20.20.2'],
  },
  {
    name: "pull request from a fork's main is still prefixed, never main's tags",
    request: { event: 'pull_request', ref: 'refs/pull/7/merge', headRef: 'main', baseTag: 'latest' },
    tags: ['main-latest'],
  },
  {
    name: 'main push: the base tag alone',
    request: { event: 'push', ref: 'refs/heads/main', baseTag: 'latest' },
    tags: ['latest'],
  },
  {
    name: 'main push with a runtime version: base tag and version tag',
    request: { event: 'push', ref: 'refs/heads/main', baseTag: 'node20', runtimeVersion: '20.20.2' },
    tags: ['node20', 'node20.20.2'],
  },
  {
    name: 'main push: runtime version from node --version (leading v) is accepted',
    request: { event: 'push', ref: 'refs/heads/main', baseTag: 'node20', runtimeVersion: 'v20.20.2' },
    tags: ['node20', 'node20.20.2'],
  },
  {
    name: 'main: a version tag equal to the base tag is not repeated',
    request: { event: 'push', ref: 'refs/heads/main', baseTag: 'node20.20.2', runtimeVersion: '20.20.2' },
    tags: ['node20.20.2'],
  },
  {
    name: 'main dispatch without make-latest: latest stays where it is',
    request: { event: 'workflow_dispatch', ref: 'refs/heads/main', baseTag: 'node20', makeLatest: false },
    tags: ['node20'],
  },
  {
    name: 'main dispatch with make-latest: latest is added',
    request: {
      event: 'workflow_dispatch',
      ref: 'refs/heads/main',
      baseTag: 'node20',
      runtimeVersion: '20.20.2',
      makeLatest: true,
    },
    tags: ['node20', 'node20.20.2', 'latest'],
  },
  {
    name: 'main dispatch with make-latest on base tag latest: latest once',
    request: { event: 'workflow_dispatch', ref: 'refs/heads/main', baseTag: 'latest', makeLatest: true },
    tags: ['latest'],
  },
  {
    name: 'branch dispatch behaves like a branch push',
    request: { event: 'workflow_dispatch', ref: 'refs/heads/u/jdoe/topic', baseTag: 'node20' },
    tags: ['topic-node20'],
  },
  {
    name: 'another default branch name',
    request: { event: 'push', ref: 'refs/heads/trunk', baseTag: 'latest', defaultBranch: 'trunk' },
    tags: ['latest'],
  },
  {
    name: 'release branch for patch releases is an ordinary branch',
    request: { event: 'push', ref: 'refs/heads/releases/1.2', baseTag: 'latest' },
    tags: ['1.2-latest'],
  },
  {
    name: 'branch characters Docker forbids become dashes',
    request: { event: 'push', ref: 'refs/heads/u/jdoe/fix+retry@night', baseTag: 'latest' },
    tags: ['fix-retry-night-latest'],
  },
  {
    name: 'release tag event: the version only',
    request: { event: 'tag', ref: 'refs/tags/1.2.3', baseTag: 'latest', runtimeVersion: '20.20.2' },
    tags: ['1.2.3'],
  },
  {
    name: 'a push of a tag ref is a release (GitHub reports tag pushes as push)',
    request: { event: 'push', ref: 'refs/tags/10.0.0' },
    tags: ['10.0.0'],
  },
  {
    name: 'a dispatch from a release tag rebuilds the release',
    request: { event: 'workflow_dispatch', ref: 'refs/tags/0.1.0' },
    tags: ['0.1.0'],
  },
];

describe('imageTags', () => {
  it.each(cases)('$name', ({ request, tags }) => {
    expect(imageTags(request)).toEqual(tags);
  });
});

interface RejectedCase {
  readonly name: string;
  readonly request: ImageTagRequest;
  readonly error: typeof ImageTagRuleError | typeof InvalidReleaseVersionError;
  readonly message: RegExp;
}

const rejected: readonly RejectedCase[] = [
  {
    name: 'fails on a release tag with a leading v',
    request: { event: 'tag', ref: 'refs/tags/v1.2.3' },
    error: InvalidReleaseVersionError,
    message: /no leading "v".*tag it as "1\.2\.3"/,
  },
  {
    name: 'fails on a release tag with two numbers',
    request: { event: 'push', ref: 'refs/tags/1.2' },
    error: InvalidReleaseVersionError,
    message: /three numbers X\.Y\.Z; tag it as "1\.2\.0"/,
  },
  {
    name: 'fails on a pre-release tag',
    request: { event: 'tag', ref: 'refs/tags/1.2.3rc1' },
    error: InvalidReleaseVersionError,
    message: /only final releases/,
  },
  {
    name: 'fails on a tag event without a tag ref',
    request: { event: 'tag', ref: 'refs/heads/main' },
    error: ImageTagRuleError,
    message: /needs a ref under refs\/tags\//,
  },
  {
    name: 'fails on make-latest for a push to main (only a dispatch moves latest)',
    request: { event: 'push', ref: 'refs/heads/main', baseTag: 'node20', makeLatest: true },
    error: ImageTagRuleError,
    message: /only on a manual dispatch from main.*untick make-latest/,
  },
  {
    name: 'fails on make-latest for a branch dispatch',
    request: {
      event: 'workflow_dispatch',
      ref: 'refs/heads/tickets/DM-1',
      baseTag: 'node20',
      makeLatest: true,
    },
    error: ImageTagRuleError,
    message: /only on a manual dispatch from main/,
  },
  {
    name: 'fails on make-latest for a release',
    request: { event: 'workflow_dispatch', ref: 'refs/tags/1.2.3', makeLatest: true },
    error: ImageTagRuleError,
    message: /does not apply to releases/,
  },
  {
    name: 'fails on a pull request without head_ref',
    request: { event: 'pull_request', ref: 'refs/pull/1/merge', baseTag: 'latest' },
    error: ImageTagRuleError,
    message: /needs the head branch/,
  },
  {
    name: 'fails on a branch build without a base tag',
    request: { event: 'push', ref: 'refs/heads/main' },
    error: ImageTagRuleError,
    message: /needs the base tag/,
  },
  {
    name: 'fails on an invalid base tag',
    request: { event: 'push', ref: 'refs/heads/main', baseTag: '-bad' },
    error: ImageTagRuleError,
    message: /"-bad" \(from the base tag\) is not a valid image tag/,
  },
  {
    name: 'fails on a runtime version that is not exact',
    request: { event: 'push', ref: 'refs/heads/main', baseTag: 'node20', runtimeVersion: '20' },
    error: ImageTagRuleError,
    message: /not an exact Node\.js version/,
  },
  {
    name: 'fails on a push of something that is neither branch nor tag',
    request: { event: 'push', ref: 'refs/pull/3/merge', baseTag: 'latest' },
    error: ImageTagRuleError,
    message: /needs a branch ref/,
  },
  {
    name: 'fails on a branch whose name leaves nothing for a tag',
    request: { event: 'push', ref: 'refs/heads/u/jdoe/+++', baseTag: 'latest' },
    error: ImageTagRuleError,
    message: /no usable name/,
  },
  {
    name: 'fails when the branch makes the tag longer than Docker allows',
    request: { event: 'push', ref: `refs/heads/u/jdoe/${'x'.repeat(130)}`, baseTag: 'latest' },
    error: ImageTagRuleError,
    message: /at most 128/,
  },
];

describe('imageTags rejections', () => {
  it.each(rejected)('$name', ({ request, error, message }) => {
    expect(() => imageTags(request)).toThrow(error);
    expect(() => imageTags(request)).toThrow(message);
  });
});

describe('image-tags CLI', () => {
  const cli = (args: readonly string[]) =>
    execFileSync('npx', ['tsx', 'scripts/release/image-tags-cli.ts', ...args], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });

  it('prints one image:tag per line from the workflow inputs', () => {
    const out = cli([
      '--event',
      'workflow_dispatch',
      '--ref',
      'refs/heads/main',
      '--head-ref',
      '',
      '--base-tag',
      'node20',
      '--runtime-version',
      '20.20.2',
      '--make-latest',
      'true',
      '--image',
      'ghcr.io/example/prompt-base',
    ]);
    expect(out).toBe(
      'ghcr.io/example/prompt-base:node20\nghcr.io/example/prompt-base:node20.20.2\nghcr.io/example/prompt-base:latest\n',
    );
  });

  it('fails with exit code 1 and the reason on a v-prefixed release tag', () => {
    let failure: { status?: number; stderr?: string } = {};
    try {
      cli(['--event', 'push', '--ref', 'refs/tags/v1.2.3']);
    } catch (error) {
      failure = error as { status?: number; stderr?: string };
    }
    expect(failure.status).toBe(1);
    expect(failure.stderr).toContain('error: "v1.2.3" is not a release version');
  });
});

describe('the documented latest rule', () => {
  it('docs/release.md states the rule the code enforces', () => {
    const docs = readFileSync('docs/release.md', 'utf8');
    expect(docs).toContain(
      '**`latest` moves only on a manual dispatch of a build from `main` with make-latest ticked.**',
    );
    const dispatchOnMain = { event: 'workflow_dispatch', ref: 'refs/heads/main', baseTag: 'node20' } as const;
    expect(imageTags({ ...dispatchOnMain, makeLatest: true })).toContain('latest');
    expect(() => imageTags({ ...dispatchOnMain, event: 'push', makeLatest: true })).toThrow(
      ImageTagRuleError,
    );
  });
});
