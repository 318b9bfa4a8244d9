// Start-up of the real `prompt-service` bin: unusable configuration or an unreachable backend ends the
// process with exit code 3 and one line naming the setting, before it ever listens.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../support/local-services';

const BIN = join(repoRoot, 'bin', 'prompt-service.cjs');

const VALID = {
  RUBIN_INSTRUMENT: 'HSC',
  SKYMAP: 'hsc_rings_v1',
  WORKER_TIMEOUT: '60',
  CENTRAL_REPO: 's3://nowhere/central_repo',
  IMAGE_BUCKET: 'nowhere',
  MAIN_PIPELINES_CONFIG: '- pipelines: []',
  PREPROCESSING_PIPELINES_CONFIG: '- pipelines: []',
};

function run(env: Record<string, string>): Promise<{ code: number | null; stderr: string; ms: number }> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN], {
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...env },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), 45_000);
    child.once('error', reject);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stderr, ms: Date.now() - started });
    });
  });
}

describe('prompt-service start-up', () => {
  it('fails with exit 3 and one line naming KAFKA_CLUSTER when Kafka is down', async () => {
    const { code, stderr } = await run({ ...VALID, KAFKA_CLUSTER: '127.0.0.1:1' });
    expect(code).toBe(3);
    const lines = stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      /^prompt-service: start-up check failed: .*Kafka at 127\.0\.0\.1:1 \(KAFKA_CLUSTER\)/,
    );
  }, 60_000);

  it('fails with exit 3 and one line naming the missing setting', async () => {
    const { WORKER_TIMEOUT: _omitted, ...withoutTimeout } = VALID;
    const { code, stderr } = await run(withoutTimeout);
    expect(code).toBe(3);
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toMatch(/^prompt-service: invalid configuration: WORKER_TIMEOUT/);
  }, 60_000);

  it('fails with exit 3 on a pipelines config that does not parse', async () => {
    const { code, stderr } = await run({
      ...VALID,
      MAIN_PIPELINES_CONFIG: '- pipelines: [$NO_SUCH_VAR/a.yaml]',
    });
    expect(code).toBe(3);
    expect(stderr).toContain('MAIN_PIPELINES_CONFIG');
    expect(stderr).toContain('NO_SUCH_VAR');
  }, 60_000);
});
