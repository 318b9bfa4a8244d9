import { describe, expect, it } from 'vitest';
import { BRIDGE_CONFIG_ENTRIES } from '../../service/config/bridge-config';
import { ConfigError } from '../../service/config/config-error';
import { FAN_OUT_CONFIG_ENTRIES } from '../../service/config/fanout-config';
import {
  parseServiceConfig,
  SERVICE_CONFIG_ENTRIES,
  serviceConfigSchema,
} from '../../service/config/service-config';
import { readServiceSettings } from '../../service/config/service-settings';
import { levelOf, parseLogLevels } from '../../service/domain/log-levels';
import { serviceLogger } from '../../service/prompt-service/service-logger';

const MINIMAL = {
  RUBIN_INSTRUMENT: 'HSC',
  SKYMAP: 'hsc_rings_v1',
  WORKER_TIMEOUT: '900',
  CENTRAL_REPO: 's3://users/central_repo',
  IMAGE_BUCKET: 'raw',
  MAIN_PIPELINES_CONFIG: '- pipelines: []',
  PREPROCESSING_PIPELINES_CONFIG: '- pipelines: []',
};

describe('service configuration schema', () => {
  it('documents every setting and keeps upstream defaults', () => {
    const byName = new Map(SERVICE_CONFIG_ENTRIES.map((e) => [e.name, e]));
    for (const entry of SERVICE_CONFIG_ENTRIES) expect(entry.doc.length, entry.name).toBeGreaterThan(10);
    expect(byName.get('WORKER_GRACE_PERIOD')?.default).toBe('30');
    expect(byName.get('IMAGE_TIMEOUT')?.default).toBe('20');
    expect(byName.get('MESSAGE_EXPIRATION')?.default).toBe('3600');
    expect(byName.get('BUCKET_TOPIC')?.default).toBe('rubin-prompt-processing');
    expect(byName.get('EXPORT_TYPE_REGEXP')?.default).toBe('- .*');
    expect(byName.get('AWS_SECRET_ACCESS_KEY')?.secret).toBe(true);
    expect(byName.get('K_REVISION')?.source).toBe('platform');
  });

  it('marks exactly the settings the service cannot start without as required', () => {
    expect(SERVICE_CONFIG_ENTRIES.filter((e) => e.required).map((e) => e.name)).toEqual(Object.keys(MINIMAL));
  });

  it('parses env strings, filling defaults', () => {
    const config = serviceConfigSchema.parse(MINIMAL);
    expect(config.WORKER_TIMEOUT).toBe(900);
    expect(config.WORKER_COUNT).toBe(1);
    expect(config.DEBUG_EXPORT_OUTPUTS).toBe(true);
    expect(config.BUCKET_NOTIFICATION_KAFKA_OFFSET_RESET).toBe('latest');
  });

  it('fails on a missing required setting and an unknown instrument', () => {
    const { SKYMAP: _skymap, ...withoutSkymap } = MINIMAL;
    expect(serviceConfigSchema.safeParse(withoutSkymap).success).toBe(false);
    expect(serviceConfigSchema.safeParse({ ...MINIMAL, RUBIN_INSTRUMENT: 'DECam' }).success).toBe(false);
  });

  it('keeps credentials of the fan-out and bridge marked secret', () => {
    expect(FAN_OUT_CONFIG_ENTRIES.find((e) => e.name === 'KAFKA_PASSWORD')?.secret).toBe(true);
    expect(BRIDGE_CONFIG_ENTRIES.find((e) => e.name === 'KAFKA_PASSWORD')?.secret).toBe(true);
  });
});

describe('parseServiceConfig and the service settings', () => {
  it('fails with one ConfigError line naming the setting', () => {
    const { WORKER_TIMEOUT: _t, ...rest } = MINIMAL;
    expect(() => parseServiceConfig(rest)).toThrow(ConfigError);
    expect(() => parseServiceConfig(rest)).toThrow(/^invalid configuration: WORKER_TIMEOUT/);
    expect(() => parseServiceConfig({ ...MINIMAL, AP_KAFKA_PRODUCER_USERNAME: 'pp' })).toThrow(
      'AP_KAFKA_PRODUCER_PASSWORD is required',
    );
  });

  it('expands PROMPT_PROCESSING_DIR (default: the package root) and layers SERVICE_LOG_LEVELS on the defaults', () => {
    const settings = readServiceSettings(
      {
        ...MINIMAL,
        // biome-ignore lint/suspicious/noTemplateCurlyInString: the service expands it, not JavaScript
        MAIN_PIPELINES_CONFIG: '- pipelines:\n    - ${PROMPT_PROCESSING_DIR}/pipelines/HSC/ApPipe.yaml',
        SERVICE_LOG_LEVELS: 'timer.lsst.activator=DEBUG .=ERROR',
      },
      '/app',
    );
    expect(settings.main[0]?.pipelines).toEqual(['/app/pipelines/HSC/ApPipe.yaml']);
    expect(levelOf(settings.levels, 'lsst.activator.process')).toBe('debug');
    expect(levelOf(settings.levels, 'timer.lsst.activator')).toBe('debug');
    expect(levelOf(settings.levels, 'lsst.daf.butler')).toBe('info');
    expect(levelOf(settings.levels, 'kafkajs')).toBe('error');
    expect(() => readServiceSettings({ ...MINIMAL, SERVICE_LOG_LEVELS: 'lsst=LOUD' }, '/app')).toThrow(
      /^invalid configuration: SERVICE_LOG_LEVELS: .*unknown level LOUD/,
    );
  });

  it('writes upstream-shaped JSON log lines', () => {
    const lines: string[] = [];
    const logger = serviceLogger(parseLogLevels('lsst.activator=INFO'), 'HSC', {
      write: (line: string) => lines.push(line),
    });
    logger.child({ group: 'g1', detector: 50 }).warn('Waiting for snaps...');
    const line = JSON.parse(lines[0] ?? '{}');
    expect(line).toMatchObject({
      level: 'WARNING',
      message: 'Waiting for snaps...',
      name: 'lsst.activator',
      instrument: 'HSC',
      group: 'g1',
      detector: 50,
      process: process.pid,
    });
    expect(line.asctime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  });
});
