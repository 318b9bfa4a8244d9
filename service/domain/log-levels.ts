// SERVICE_LOG_LEVELS (upstream): space-separated `logger=LEVEL` pairs, `.` naming the root, e.g.
// `timer.lsst.activator=DEBUG lsst.daf.butler=VERBOSE .=WARNING`. A logger takes the level of its
// nearest configured ancestor by dotted name. Levels are mapped onto pino's.

export type PinoLevel = 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal';

/** Python logging names (and LSST's VERBOSE, TRACE) to pino levels. */
const LEVELS: Readonly<Record<string, PinoLevel>> = {
  TRACE: 'trace',
  DEBUG: 'debug',
  VERBOSE: 'debug',
  INFO: 'info',
  WARNING: 'warn',
  WARN: 'warn',
  ERROR: 'error',
  CRITICAL: 'fatal',
  FATAL: 'fatal',
};

export class LogLevelsError extends Error {
  override readonly name = 'LogLevelsError';
}

export interface LogLevels {
  readonly root: PinoLevel;
  /** Configured loggers, by dotted name. */
  readonly byLogger: ReadonlyMap<string, PinoLevel>;
}

/** Upstream's defaults: the root at WARNING, `lsst` at INFO, Prompt Processing's own loggers at DEBUG. */
export const DEFAULT_LOG_LEVELS = 'lsst=INFO lsst.activator=DEBUG lsst.shared=DEBUG';

export function parseLogLevels(text: string, rootDefault: PinoLevel = 'warn'): LogLevels {
  let root = rootDefault;
  const byLogger = new Map<string, PinoLevel>();
  for (const pair of text.split(/\s+/).filter((p) => p.length > 0)) {
    const match = /^([^=]+)=([A-Za-z]+)$/.exec(pair);
    if (!match?.[1] || !match[2]) {
      throw new LogLevelsError(`SERVICE_LOG_LEVELS entry "${pair}" is not logger=LEVEL`);
    }
    const level = LEVELS[match[2].toUpperCase()];
    if (!level) {
      throw new LogLevelsError(
        `SERVICE_LOG_LEVELS entry "${pair}": unknown level ${match[2]} (use ${Object.keys(LEVELS).join(', ')})`,
      );
    }
    if (match[1] === '.') root = level;
    else byLogger.set(match[1], level);
  }
  return { root, byLogger };
}

/** The level of a named logger: its own, else its nearest configured ancestor's, else the root's. */
export function levelOf(levels: LogLevels, logger: string): PinoLevel {
  for (let name = logger; name.length > 0; name = name.slice(0, Math.max(0, name.lastIndexOf('.')))) {
    const level = levels.byLogger.get(name);
    if (level) return level;
    if (!name.includes('.')) break;
  }
  return levels.root;
}
