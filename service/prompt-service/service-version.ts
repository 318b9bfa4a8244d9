// What /version reports: the package version, the git commit (GIT_COMMIT, else read from a .git
// directory when the service runs from a checkout), the image digest when the platform gives it,
// and the deployment id that names output runs.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The commit HEAD points at in `repoRoot/.git`, or undefined when there is no readable checkout. */
export function gitCommitOf(repoRoot: string): string | undefined {
  try {
    const gitDir = join(repoRoot, '.git');
    let dir = gitDir;
    // A worktree's .git is a file naming the real git directory.
    try {
      const pointer = readFileSync(gitDir, 'utf8');
      const match = /^gitdir: (.+)$/m.exec(pointer);
      if (match?.[1]) dir = match[1].trim();
    } catch {
      // .git is a directory
    }
    const head = readFileSync(join(dir, 'HEAD'), 'utf8').trim();
    const ref = /^ref: (.+)$/.exec(head)?.[1];
    if (!ref) return /^[0-9a-f]{40}$/.test(head) ? head : undefined;
    const common = readCommonDir(dir);
    for (const base of [dir, common]) {
      try {
        return readFileSync(join(base, ref), 'utf8').trim();
      } catch {
        // try packed-refs below
      }
    }
    const packed = readFileSync(join(common, 'packed-refs'), 'utf8');
    return packed
      .split('\n')
      .find((line) => line.endsWith(` ${ref}`))
      ?.split(' ')[0];
  } catch {
    return undefined;
  }
}

function readCommonDir(dir: string): string {
  try {
    const common = readFileSync(join(dir, 'commondir'), 'utf8').trim();
    return common.startsWith('/') ? common : join(dir, common);
  } catch {
    return dir;
  }
}

export function packageVersion(repoRoot: string): string {
  const text = readFileSync(join(repoRoot, 'package.json'), 'utf8');
  return (JSON.parse(text) as { version: string }).version;
}
