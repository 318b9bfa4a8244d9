// Reads what the release notes need from a git checkout: release tags, commits between two refs and
// a file as it was at a ref. The only module of the release tooling that runs git.

import { execFileSync } from 'node:child_process';
import { compareReleaseVersions, type ReleaseVersion, tryParseReleaseVersion } from './release-version';

export interface Commit {
  readonly hash: string;
  readonly shortHash: string;
  readonly subject: string;
  readonly author: string;
}

export interface ReleaseTag {
  readonly name: string;
  readonly version: ReleaseVersion;
}

/** Thrown when git fails; the message carries git's own words and the usual fix. */
export class GitCommandError extends Error {
  override readonly name = 'GitCommandError';
  constructor(
    message: string,
    /** git's exit status; undefined when git did not run at all. */
    readonly exitStatus?: number,
  ) {
    super(message);
  }
}

// Field and record separators that cannot appear in a commit subject or author name.
const FIELD = '\x1f';
const RECORD = '\x1e';

export class GitHistory {
  constructor(readonly repoDir: string) {}

  /** Whether ref names a commit here (a tag, branch, HEAD or hash). */
  hasCommit(ref: string): boolean {
    try {
      this.git(['rev-parse', '--verify', '--quiet', `${ref}^{commit}`]);
      return true;
    } catch (error) {
      // --verify --quiet exits 1, silently, exactly when the ref names no commit.
      if (error instanceof GitCommandError && error.exitStatus === 1) return false;
      throw error;
    }
  }

  /** Whether name is a tag here (release or not). */
  isTag(name: string): boolean {
    return this.hasCommit(`refs/tags/${name}`);
  }

  /** Release tags (canonical X.Y.Z) whose commit is reachable from ref, oldest version first. */
  releaseTagsReachableFrom(ref: string): ReleaseTag[] {
    this.requireCommit(ref);
    return this.lines(['tag', '--list', '--merged', ref])
      .flatMap((name) => {
        const version = tryParseReleaseVersion(name);
        return version === undefined ? [] : [{ name, version }];
      })
      .sort((a, b) => compareReleaseVersions(a.version, b.version));
  }

  /** Commits reachable from `to` but not from `from` (all of them without `from`), newest first, merges left out. */
  commitsBetween(from: string | undefined, to: string): Commit[] {
    this.requireCommit(to);
    if (from !== undefined) this.requireCommit(from);
    const range = from === undefined ? to : `${from}..${to}`;
    const format = ['%H', '%h', '%s', '%an'].join(FIELD) + RECORD;
    return this.git(['log', '--no-merges', `--format=${format}`, range, '--'])
      .split(RECORD)
      .map((record) => record.trim())
      .filter((record) => record !== '')
      .map((record) => {
        const [hash = '', shortHash = '', subject = '', author = ''] = record.split(FIELD);
        return { hash, shortHash, subject, author };
      });
  }

  /** The file's content at ref, or undefined when the file did not exist there. */
  fileAt(ref: string, path: string): string | undefined {
    this.requireCommit(ref);
    if (this.git(['ls-tree', '--name-only', ref, '--', path]).trim() === '') return undefined;
    return this.git(['show', `${ref}:${path}`]);
  }

  private requireCommit(ref: string): void {
    if (!this.hasCommit(ref)) {
      throw new GitCommandError(
        `"${ref}" names no commit in ${this.repoDir}; check the spelling, and fetch tags and full history ` +
          '(git fetch --tags --unshallow, or actions/checkout with fetch-depth: 0)',
      );
    }
  }

  private lines(args: readonly string[]): string[] {
    return this.git(args)
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line !== '');
  }

  private git(args: readonly string[]): string {
    try {
      return execFileSync('git', ['-C', this.repoDir, ...args], {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
        maxBuffer: 64 * 1024 * 1024,
        env: envWithoutRepoOverrides(),
      });
    } catch (error) {
      const failure = error as { code?: string; status?: number | null; stderr?: string };
      if (failure.code === 'ENOENT') {
        throw new GitCommandError(
          'git is not installed or not on PATH; install git to generate release notes',
        );
      }
      const stderr = failure.stderr?.trim() ?? '';
      throw new GitCommandError(
        `git ${args.join(' ')} failed in ${this.repoDir}${stderr ? `: ${stderr}` : ''}; run it there by hand to see why`,
        failure.status ?? undefined,
      );
    }
  }
}

// Inside a git hook, GIT_DIR and friends point at the hook's repository and would win over -C;
// this reader is always told its repository explicitly.
export function envWithoutRepoOverrides(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const name of [
    'GIT_DIR',
    'GIT_WORK_TREE',
    'GIT_INDEX_FILE',
    'GIT_OBJECT_DIRECTORY',
    'GIT_COMMON_DIR',
  ]) {
    delete env[name];
  }
  return env;
}
