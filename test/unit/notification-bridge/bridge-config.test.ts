import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseBridgeConfig } from '../../../service/config/bridge-config';
import { ConfigError } from '../../../service/config/config-error';
import { repoRoot } from '../../support/local-services';

describe('bridge configuration', () => {
  it('applies defaults for everything but the Kafka cluster', () => {
    expect(parseBridgeConfig({ KAFKA_CLUSTER: 'kafka:9092' })).toEqual({
      KAFKA_CLUSTER: 'kafka:9092',
      BUCKET_TOPIC: 'rubin-prompt-processing',
      BRIDGE_HOST: '127.0.0.1',
      BRIDGE_PORT: 8080,
      BRIDGE_BODY_LIMIT_BYTES: 1_048_576,
      BRIDGE_PUBLISH_TIMEOUT_MS: 10_000,
      LOG_LEVEL: 'info',
    });
  });

  it('reads numbers from their string form', () => {
    const config = parseBridgeConfig({
      KAFKA_CLUSTER: 'k:1',
      BRIDGE_PORT: '9000',
      BRIDGE_PUBLISH_TIMEOUT_MS: '250',
    });
    expect(config.BRIDGE_PORT).toBe(9000);
    expect(config.BRIDGE_PUBLISH_TIMEOUT_MS).toBe(250);
  });

  it.each([
    [{}, /KAFKA_CLUSTER is required/],
    [{ KAFKA_CLUSTER: '' }, /KAFKA_CLUSTER is empty/],
    [{ KAFKA_CLUSTER: 'k:1', BRIDGE_PORT: 'eighty' }, /BRIDGE_PORT/],
    [{ KAFKA_CLUSTER: 'k:1', BRIDGE_PORT: '70000' }, /BRIDGE_PORT/],
    [{ KAFKA_CLUSTER: 'k:1', LOG_LEVEL: 'loud' }, /LOG_LEVEL/],
    [{ KAFKA_CLUSTER: 'k:1', KAFKA_USERNAME: 'pp' }, /KAFKA_PASSWORD is required when KAFKA_USERNAME is set/],
  ])('fails on %j naming the variable', (env, reason) => {
    expect(() => parseBridgeConfig(env)).toThrow(ConfigError);
    expect(() => parseBridgeConfig(env)).toThrow(reason);
  });

  it('fails the bin with exit code 3 and a one-line reason', () => {
    const run = spawnSync(process.execPath, [join(repoRoot, 'bin', 'prompt-bridge.cjs')], {
      env: { PATH: process.env.PATH ?? '', BRIDGE_PORT: 'x', KAFKA_CLUSTER: '127.0.0.1:9092' },
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect(run.status).toBe(3);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toMatch(/^prompt-bridge: invalid configuration: BRIDGE_PORT/);
  });
});
