// Runs one of the package's bins (bin/<name>.cjs) as a separate process, as a user would, and
// collects its exit code and output.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { repoRoot } from './local-services';

export interface BinRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export function runBin(
  bin: string,
  args: readonly string[],
  env: Record<string, string> = {},
): Promise<BinRun> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(repoRoot, 'bin', `${bin}.cjs`), ...args], {
      env: { ...process.env, ...env },
      cwd: repoRoot,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
    });
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}
