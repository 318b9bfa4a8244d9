// What can go wrong with one next_visit, as typed errors that say whether a retry is safe. The HTTP
// edge maps them to upstream's status codes once (visit-status.ts); processing code only throws.

/** The request is not a usable next_visit (malformed CloudEvent or message). HTTP 400. */
export class InvalidRequestError extends Error {
  override readonly name = 'InvalidRequestError';
}

/** The visit was announced longer ago than MESSAGE_EXPIRATION allows. HTTP 403. */
export class StaleVisitError extends Error {
  override readonly name = 'StaleVisitError';
}

/** Nothing to do for this visit: another instrument, no pipeline configured for it. HTTP 422. */
export class IgnorableVisitError extends Error {
  override readonly name = 'IgnorableVisitError';
}

/** Failed before anything was written to the APDB or the central repo: retry is safe. HTTP 503. */
export class RetriableVisitError extends Error {
  override readonly name = 'RetriableVisitError';
  constructor(
    message: string,
    readonly retryAfterSeconds = 30,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/** Failed after the APDB or central repo may have changed: do NOT retry. HTTP 500. */
export class NonRetriableVisitError extends Error {
  override readonly name = 'NonRetriableVisitError';
}

export interface VisitStatus {
  readonly statusCode: 200 | 400 | 403 | 422 | 500 | 503;
  /** Metric label and log word for the outcome. */
  readonly result: 'success' | 'invalid' | 'stale' | 'ignored' | 'retriable' | 'error';
  readonly retryAfterSeconds?: number;
}

/** The one place errors become HTTP answers; anything unknown is treated as unsafe to retry. */
export function statusOf(error: unknown): VisitStatus {
  if (error instanceof InvalidRequestError) return { statusCode: 400, result: 'invalid' };
  if (error instanceof StaleVisitError) return { statusCode: 403, result: 'stale' };
  if (error instanceof IgnorableVisitError) return { statusCode: 422, result: 'ignored' };
  if (error instanceof RetriableVisitError) {
    return { statusCode: 503, result: 'retriable', retryAfterSeconds: error.retryAfterSeconds };
  }
  return { statusCode: 500, result: 'error' };
}
