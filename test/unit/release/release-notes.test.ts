import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { envWithoutRepoOverrides, GitCommandError, GitHistory } from '../../../scripts/release/git-history';
import {
  collectReleaseNotes,
  componentVersionsAt,
  previousReleaseTag,
  renderReleaseNotes,
} from '../../../scripts/release/release-notes';
import { COMPONENT_VERSIONS_PATH, UNKNOWN_VERSION } from '../../../service/domain/component-versions';

// A scratch repository whose history exercises every case the generator handles:
//   0.9.0   no component-versions.json yet
//   1.0.0   the file appears
//   1.1.0   pipelines minor bump
//   1.2.0   APDB schema major bump without a major release (policy warning)
//   2.0.0   alert schema major bump, released as a major
//   then: one unreleased commit on main, and a patch branch releases/1.1 tagged 1.1.1
// plus tags that are not releases (v3.0.0, w.2025.10) which must be ignored.
let repo: string;
let history: GitHistory;

const versions = (overrides: Record<string, string>) =>
  `${JSON.stringify(
    {
      pipelines: '1.0.0',
      apdbSchema: '10.0.0',
      registrySchema: '1.0.0',
      dimensionsConfig: '7',
      alertSchema: '11.0',
      ...overrides,
    },
    null,
    2,
  )}\n`;

const IDENTITY = [
  'user.name=Vera Rubin',
  'user.email=vera@example.org',
  'commit.gpgSign=false',
  'tag.gpgSign=false',
];

function git(...args: string[]): string {
  const config = IDENTITY.flatMap((setting) => ['-c', setting]);
  return execFileSync('git', [...config, ...args], {
    cwd: repo,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    env: envWithoutRepoOverrides(),
  });
}

function commit(subject: string, files: Record<string, string>): void {
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(repo, path)), { recursive: true });
    writeFileSync(join(repo, path), content);
  }
  git('add', '-A');
  git('commit', '-q', '-m', subject);
}

beforeAll(() => {
  repo = mkdtempSync(join(tmpdir(), 'release-notes-'));
  git('init', '-q', '-b', 'main');
  commit('Start the activator', { 'service/activator.ts': 'export {};\n' });
  git('tag', '0.9.0');
  commit('Record component versions', { [COMPONENT_VERSIONS_PATH]: versions({}) });
  git('tag', '1.0.0');
  commit('Tune ApPipe for LATISS', { [COMPONENT_VERSIONS_PATH]: versions({ pipelines: '1.1.0' }) });
  git('tag', '-a', '1.1.0', '-m', 'annotated release tag');
  commit('Move to ApdbSchema 11', {
    [COMPONENT_VERSIONS_PATH]: versions({ pipelines: '1.1.0', apdbSchema: '11.0.0' }),
  });
  commit('Merge-free fix in the fan-out', { 'service/fan-out.ts': 'export {};\n' });
  git('tag', '1.2.0');
  git('tag', 'w.2025.10');
  commit('Alerts move to lsst.v12_0', {
    [COMPONENT_VERSIONS_PATH]: versions({ pipelines: '1.1.0', apdbSchema: '11.0.0', alertSchema: '12.0' }),
  });
  git('tag', '2.0.0');
  git('tag', 'v3.0.0');
  commit('Unreleased work', { 'service/next.ts': 'export {};\n' });
  git('checkout', '-q', '-b', 'releases/1.1', '1.1.0');
  commit('Patch: retry S3 listing', { 'service/raw.ts': 'export {};\n' });
  git('tag', '1.1.1');
  git('checkout', '-q', 'main');
  history = new GitHistory(repo);
});

afterAll(() => {
  rmSync(repo, { recursive: true, force: true });
});

describe('previousReleaseTag', () => {
  it.each([
    ['2.0.0', '1.2.0'],
    ['1.2.0', '1.1.0'],
    ['1.1.1', '1.1.0'],
    ['1.0.0', '0.9.0'],
    ['0.9.0', undefined],
    ['HEAD', '2.0.0'],
  ])('before %s is %s (non-release tags and unreachable branches ignored)', (to, expected) => {
    expect(previousReleaseTag(history, to)).toBe(expected);
  });
});

describe('componentVersionsAt', () => {
  it('reads the file as it was at the tag', () => {
    expect(componentVersionsAt(history, '1.2.0').apdbSchema).toBe('11.0.0');
    expect(componentVersionsAt(history, '1.1.0').apdbSchema).toBe('10.0.0');
  });

  it('reads a tag from before the file existed as unknown, not a crash', () => {
    expect(componentVersionsAt(history, '0.9.0')).toEqual({
      pipelines: UNKNOWN_VERSION,
      apdbSchema: UNKNOWN_VERSION,
      registrySchema: UNKNOWN_VERSION,
      dimensionsConfig: UNKNOWN_VERSION,
      alertSchema: UNKNOWN_VERSION,
    });
  });
});

describe('collectReleaseNotes', () => {
  it('lists only the commits since the previous release, newest first', () => {
    const notes = collectReleaseNotes(history, { to: '1.2.0' });
    expect(notes.from).toBe('1.1.0');
    expect(notes.commits.map((commit) => commit.subject)).toEqual([
      'Merge-free fix in the fan-out',
      'Move to ApdbSchema 11',
    ]);
    expect(notes.commits[0]?.author).toBe('Vera Rubin');
  });

  it('patch releases on a release branch count from their own line', () => {
    const notes = collectReleaseNotes(history, { to: '1.1.1' });
    expect(notes.from).toBe('1.1.0');
    expect(notes.commits.map((commit) => commit.subject)).toEqual(['Patch: retry S3 listing']);
  });

  it('a minor component bump is a change, not a breaking one', () => {
    const notes = collectReleaseNotes(history, { to: '1.1.0' });
    const pipelines = notes.components.find((change) => change.component === 'pipelines');
    expect(pipelines).toMatchObject({ previous: '1.0.0', current: '1.1.0', changed: true, breaking: false });
    expect(notes.components.some((change) => change.breaking)).toBe(false);
    expect(notes.warnings).toEqual([]);
  });

  it('a major component bump without a major release is breaking and warned about', () => {
    const notes = collectReleaseNotes(history, { to: '1.2.0' });
    expect(notes.components.filter((change) => change.breaking).map((change) => change.component)).toEqual([
      'apdbSchema',
    ]);
    expect(notes.warnings).toEqual([
      'APDB schema changed its major version (10.0.0 → 11.0.0) but 1.2.0 keeps major version 1 of 1.1.0: release it as 2.0.0 instead',
    ]);
  });

  it('a major component bump in a major release is breaking without a warning', () => {
    const notes = collectReleaseNotes(history, { to: '2.0.0' });
    expect(notes.components.filter((change) => change.breaking).map((change) => change.component)).toEqual([
      'alertSchema',
    ]);
    expect(notes.warnings).toEqual([]);
  });

  it('versions unknown at the previous tag are changes, never breaking', () => {
    const notes = collectReleaseNotes(history, { to: '1.0.0' });
    expect(notes.from).toBe('0.9.0');
    expect(notes.components.every((change) => change.changed && !change.breaking)).toBe(true);
  });

  it('fails with the fix when git is not installed', () => {
    const path = process.env.PATH;
    process.env.PATH = '';
    try {
      expect(() => history.hasCommit('HEAD')).toThrow('git is not installed or not on PATH');
    } finally {
      process.env.PATH = path;
    }
  });

  it('fails on a ref that does not exist, saying how to get full history', () => {
    expect(() => collectReleaseNotes(history, { to: '9.9.9' })).toThrow(GitCommandError);
    expect(() => collectReleaseNotes(history, { to: '9.9.9' })).toThrow(/fetch-depth: 0/);
  });
});

describe('renderReleaseNotes', () => {
  it('renders breaking changes with the operator action, the versions table, images and commits', () => {
    const notes = collectReleaseNotes(history, { to: '1.2.0', images: ['ghcr.io/example/prompt-service'] });
    const markdown = renderReleaseNotes(notes);
    const hashes = notes.commits.map((commit) => commit.shortHash);
    expect(markdown).toBe(
      [
        '# prompt-processing 1.2.0',
        '',
        'Changes since 1.1.0: 2 commits.',
        '',
        '## Breaking changes',
        '',
        '- **APDB schema** 10.0.0 → 11.0.0: migrate every APDB (or create new ones) to this schema before deploying.',
        '',
        '## Versions operators must match',
        '',
        '| Component | 1.1.0 | 1.2.0 |',
        '| --- | --- | --- |',
        '| Pipelines | 1.1.0 | 1.1.0 |',
        '| APDB schema | 10.0.0 | **11.0.0** |',
        '| Registry schema | 1.0.0 | 1.0.0 |',
        '| Dimensions config | 7 | 7 |',
        '| Alert schema | 11.0 | 11.0 |',
        '',
        '## Images',
        '',
        '- `ghcr.io/example/prompt-service:1.2.0`',
        '',
        '## Changes',
        '',
        `- Merge-free fix in the fan-out (${hashes[0]}, Vera Rubin)`,
        `- Move to ApdbSchema 11 (${hashes[1]}, Vera Rubin)`,
        '',
      ].join('\n'),
    );
  });

  it('renders the first release without a breaking section', () => {
    const markdown = renderReleaseNotes(collectReleaseNotes(history, { to: '0.9.0' }));
    expect(markdown).toContain('First release: 1 commit.');
    expect(markdown).toContain('| Pipelines | — | unknown |');
    expect(markdown).not.toContain('## Breaking changes');
  });
});

describe('release-notes CLI', () => {
  const cliPath = resolve('scripts/release/release-notes-cli.ts');
  const run = (args: readonly string[]) => {
    try {
      const stdout = execFileSync('npx', ['tsx', cliPath, '--repo', repo, ...args], {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      return { status: 0, stdout, stderr: '' };
    } catch (error) {
      const failed = error as { status: number; stdout: string; stderr: string };
      return { status: failed.status, stdout: failed.stdout, stderr: failed.stderr };
    }
  };

  it('fails under --strict when a breaking change is not a major release', () => {
    const result = run(['--to', '1.2.0', '--strict']);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('warning: APDB schema changed its major version');
    expect(result.stderr).toContain('error: 1 release-policy warning(s) above');
  });

  it('fails on a tag that is not a release version', () => {
    const result = run(['--to', 'v3.0.0']);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('error: "v3.0.0" is not a release version');
  });

  it('previews HEAD since the last release', () => {
    const result = run([]);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('Changes since 2.0.0: 1 commit.');
    expect(result.stdout).toContain('- Unreleased work (');
  });
});
