// The prompt service's settings as the activator uses them: the environment parsed by the schema,
// SERVICE_LOG_LEVELS on top of upstream's defaults, and both pipelines configs with their variables
// expanded. Anything wrong is one ConfigError line, before any backend is contacted.

import { DEFAULT_LOG_LEVELS, type LogLevels, parseLogLevels } from '../domain/log-levels';
import { type PipelinesConfig, parsePipelinesConfig } from '../domain/pipeline-selection';
import { ConfigError } from './config-error';
import { parseServiceConfig, type ServiceConfig } from './service-config';

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
