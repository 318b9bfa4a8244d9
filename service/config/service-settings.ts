// The prompt service's settings as the activator uses them: the environment parsed by the schema,
// SERVICE_LOG_LEVELS on top of upstream's defaults, and both pipelines configs with their variables
// expanded. Anything wrong is one ConfigError line, before any backend is contacted.

import type { z } from 'zod';
import { DEFAULT_LOG_LEVELS, type LogLevels, parseLogLevels } from '../domain/log-levels';
import { type PipelinesConfig, parsePipelinesConfig } from '../domain/pipeline-selection';
import { ConfigError, describeIssues } from './config-error';
import { parseServiceConfig, type ServiceConfig, serviceConfigSchema } from './service-config';

export interface ServiceSettings {
  readonly config: ServiceConfig;
  readonly levels: LogLevels;
  readonly main: PipelinesConfig;
  readonly preprocessing: PipelinesConfig;
}

/** Everything that can be judged without a backend; any problem is one ConfigError line. */
export function readServiceSettings(
  env: Readonly<Record<string, string | undefined>>,
  packageRoot: string,
): ServiceSettings {
  const config = parseServiceConfig(env);
  const asConfigError = <T>(what: string, work: () => T): T => {
    try {
      return work();
    } catch (error) {
      throw new ConfigError(`invalid configuration: ${what}: ${(error as Error).message}`);
    }
  };
  const expansion = { ...env, PROMPT_PROCESSING_DIR: config.PROMPT_PROCESSING_DIR ?? packageRoot };
  return {
    config,
    levels: asConfigError('SERVICE_LOG_LEVELS', () =>
      parseLogLevels(`${DEFAULT_LOG_LEVELS} ${config.SERVICE_LOG_LEVELS}`),
    ),
    main: asConfigError('MAIN_PIPELINES_CONFIG', () =>
      parsePipelinesConfig(config.MAIN_PIPELINES_CONFIG, expansion),
    ),
    preprocessing: asConfigError('PREPROCESSING_PIPELINES_CONFIG', () =>
      parsePipelinesConfig(config.PREPROCESSING_PIPELINES_CONFIG, expansion),
    ),
  };
}

/** The subset of the service's settings the initializer Job gets (infra's repo settings). */
const initializerSchema = serviceConfigSchema.pick({
  RUBIN_INSTRUMENT: true,
  CENTRAL_REPO: true,
  S3_ENDPOINT_URL: true,
  MAIN_PIPELINES_CONFIG: true,
  PREPROCESSING_PIPELINES_CONFIG: true,
  CONFIG_APDB: true,
  PROMPT_PROCESSING_DIR: true,
});

export interface InitializerSettings {
  readonly config: z.output<typeof initializerSchema>;
  readonly main: PipelinesConfig;
  readonly preprocessing: PipelinesConfig;
}

export function readInitializerSettings(
  env: Readonly<Record<string, string | undefined>>,
  packageRoot: string,
): InitializerSettings {
  const result = initializerSchema.safeParse(env);
  if (!result.success) throw new ConfigError(`invalid configuration: ${describeIssues(result.error)}`);
  const config = result.data;
  const expansion = { ...env, PROMPT_PROCESSING_DIR: config.PROMPT_PROCESSING_DIR ?? packageRoot };
  const parse = (name: string, text: string) => {
    try {
      return parsePipelinesConfig(text, expansion);
    } catch (error) {
      throw new ConfigError(`invalid configuration: ${name}: ${(error as Error).message}`);
    }
  };
  return {
    config,
    main: parse('MAIN_PIPELINES_CONFIG', config.MAIN_PIPELINES_CONFIG),
    preprocessing: parse('PREPROCESSING_PIPELINES_CONFIG', config.PREPROCESSING_PIPELINES_CONFIG),
  };
}
