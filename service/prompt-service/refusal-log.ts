// Log lines for refused next_visits (400, 403, 422): at most `linesPerSecond` a second, so a flood of
// bad requests neither fills the log nor pays a JSON line each; the first line after a suppressed
// stretch says how many refusals went unlogged. Nothing is formatted when WARNING is off.
import type { FastifyBaseLogger } from 'fastify';
import type { Clock } from '../ports/visit-processor';
import type { VisitStatus } from './visit-errors';

/** pino levels at which a WARNING line is written. */
const WARNING_ENABLED = new Set(['trace', 'debug', 'info', 'warn']);

export class RefusalLog {
  private windowStart = Number.NEGATIVE_INFINITY;
  private loggedInWindow = 0;
  private suppressed = 0;

  constructor(
    private readonly clock: Clock,
    private readonly linesPerSecond = 10,
  ) {}

  refused(log: FastifyBaseLogger, status: VisitStatus, reason: string): void {
    if (!WARNING_ENABLED.has(log.level)) return;
    const now = this.clock.nowUtcSeconds();
    if (now - this.windowStart >= 1) {
      this.windowStart = now;
      this.loggedInWindow = 0;
    }
    if (this.loggedInWindow >= this.linesPerSecond) {
      this.suppressed += 1;
      return;
    }
    this.loggedInWindow += 1;
    const unlogged = this.suppressed;
    this.suppressed = 0;
    log.warn(
      { result: status.result, statusCode: status.statusCode, reason, ...(unlogged > 0 ? { unlogged } : {}) },
      'next_visit refused: %s',
      reason,
    );
  }
}
