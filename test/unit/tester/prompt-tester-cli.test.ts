// The prompt-tester bin: --help on every command, and bad arguments rejected before any I/O.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../../support/local-services';

const run = (args: string[]) =>
  spawnSync(process.execPath, [join(repoRoot, 'bin', 'prompt-tester.cjs'), ...args], {
    encoding: 'utf8',
    cwd: repoRoot,
  });

describe('prompt-tester CLI', () => {
  it("lists every command in --help and prints each command's options", () => {
    const top = run(['--help']);
    expect(top.status).toBe(0);
    for (const command of ['seed-central-repo', 'make-unobserved', 'upload', 'upload-random', 'verify'])
      expect(top.stdout).toContain(command);
    const upload = run(['upload', '--help']);
    expect(upload.stdout).toMatch(/--rest-proxy-url/);
    expect(upload.stdout).toMatch(/--snap-seconds <s>[\s\S]*\(default: 18\)/);
  }, 30_000);

  it('fails with exit 1 and one line for an unknown instrument or a bad count', () => {
    const instrument = run(['upload', 'NOPE', '1']);
    expect(instrument.status).toBe(1);
    expect(instrument.stderr).toMatch(
      /unknown instrument "NOPE": use one of LATISS, LSSTComCam, LSSTCam, HSC/,
    );
    const count = run(['upload', 'LATISS', '0']);
    expect(count.status).toBe(1);
    expect(count.stderr).toMatch(/<n> must be a positive integer/);
  }, 30_000);
});
