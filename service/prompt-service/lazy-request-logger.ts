// The logger fastify hands each request (`request.log`): it carries the request's bindings (reqId)
// like pino's child, but becomes that child only when a line is written or a child is asked for.
// Most requests on the refused path log nothing (refusal lines are rate-limited), and pino's child
// costs an object, a bindings JSON fragment and its formatters on every request otherwise.
import type { FastifyBaseLogger, FastifyServerOptions } from 'fastify';
import type { Bindings, ChildLoggerOptions } from 'pino';

type Method = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

export class LazyRequestLogger implements FastifyBaseLogger {
  private materialized: FastifyBaseLogger | undefined;

  constructor(
    private readonly parent: FastifyBaseLogger,
    private readonly bindings: Bindings,
    private readonly options: ChildLoggerOptions,
  ) {}

  /** The pino child, made on first use. */
  private get logger(): FastifyBaseLogger {
    this.materialized ??= this.parent.child(this.bindings, this.options);
    return this.materialized;
  }

  private write(method: Method, args: readonly unknown[]): void {
    const logger = this.logger;
    Reflect.apply(logger[method], logger, args);
  }

  /** Read without making the child: a route's own level, else the parent's. */
  get level(): string {
    return this.materialized?.level ?? this.options.level ?? this.parent.level;
  }

  set level(level: string) {
    this.logger.level = level;
  }

  fatal(...args: unknown[]): void {
    this.write('fatal', args);
  }

  error(...args: unknown[]): void {
    this.write('error', args);
  }

  warn(...args: unknown[]): void {
    this.write('warn', args);
  }

  info(...args: unknown[]): void {
    this.write('info', args);
  }

  debug(...args: unknown[]): void {
    this.write('debug', args);
  }

  trace(...args: unknown[]): void {
    this.write('trace', args);
  }

  silent(...args: unknown[]): void {
    this.write('silent', args);
  }

  child(bindings: Bindings, options?: ChildLoggerOptions): FastifyBaseLogger {
    return this.logger.child(bindings, options);
  }
}

/** fastify's `childLoggerFactory`: request loggers that cost nothing until they write. */
export const lazyRequestLoggers: NonNullable<FastifyServerOptions['childLoggerFactory']> = (
  logger,
  bindings,
  options,
) => new LazyRequestLogger(logger, bindings, options);
