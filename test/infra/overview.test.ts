import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { USDF_DEV } from '../../infra/environments/usdf-dev';
import { USDF_PROD } from '../../infra/environments/usdf-prod';
import { summarizeEnvironment } from '../../infra/overview';
import { repoRoot } from '../support/local-services';

describe('environment overview', () => {
  it('summarizes shared dev from the same charts synth writes', () => {
    const summary = summarizeEnvironment(USDF_DEV);
    expect(summary.instruments.map((s) => s.instrument)).toEqual(USDF_DEV.instruments);
    const latiss = summary.instruments.find((s) => s.instrument === 'LATISS');
    expect(latiss?.knativeService).toBe('prompt-proto-service-latiss');
    expect(latiss?.kafkaTopics).toContain('next-visit-latiss');
    expect(latiss?.kinds.KafkaTopic).toBe(latiss?.kafkaTopics.length);
    expect(summary.argoApplications).toBe(USDF_DEV.instruments.length + 1);
  });

  it('leaves out what prod does not deploy', () => {
    expect(summarizeEnvironment(USDF_PROD).instruments.map((s) => s.instrument)).not.toContain('HSC');
  });

  it('is what `npm run overview` prints, with the service configuration', () => {
    const run = spawnSync(
      process.execPath,
      ['--import', 'tsx', join(repoRoot, 'service/entrypoints/overview.ts')],
      {
        encoding: 'utf8',
        timeout: 60_000,
      },
    );
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/Environment usdf-prompt-processing-dev /);
    expect(run.stdout).toMatch(/^WORKER_TIMEOUT\s+\(required\)/m);
  }, 60_000);
});
