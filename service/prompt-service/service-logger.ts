// The service's pino logger, shaped like upstream's JSON log lines (UsdfJsonFormatter): `asctime`,
// `level` in Python's words, `message`, `name` (the logger), `process`, `instrument`, and the visit's
// MDC fields (group, detector, day_obs, survey, exposures) on the children that carry them.

import pino, { type Logger } from 'pino';
import { type LogLevels, levelOf } from '../domain/log-levels';

const PYTHON_LEVELS: Readonly<Record<string, string>> = {
  trace: 'TRACE',
  debug: 'DEBUG',
  info: 'INFO',
  warn: 'WARNING',
  error: 'ERROR',
  fatal: 'CRITICAL',
};

/** The root logger of the service, named `lsst.activator`, at that logger's configured level. */
export function serviceLogger(
  levels: LogLevels,
  instrument: string,
  destination?: pino.DestinationStream,
): Logger {
  const options: pino.LoggerOptions = {
    level: levelOf(levels, 'lsst.activator'),
    messageKey: 'message',
    errorKey: 'err',
    base: { name: 'lsst.activator', process: process.pid, instrument },
    timestamp: () => `,"asctime":"${new Date().toISOString()}"`,
    formatters: { level: (label) => ({ level: PYTHON_LEVELS[label] ?? label.toUpperCase() }) },
  };
  return destination ? pino(options, destination) : pino(options);
}
