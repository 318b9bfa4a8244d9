// Turns whatever stopped a visit into the typed error the HTTP edge answers with, by how far the visit
// got: before the pipeline started nothing was written (retry is safe, 503); once it started, only
// the APDB can tell whether the visit left rows (then a retry would duplicate alerts: 500); a failed
// export after a successful pipeline is never retried (500).

import { NoPipelinesConfiguredError } from '../domain/pipeline-selection';
import { NoRunnablePipelineError } from '../pipeline/run-first-runnable';
import {
  IgnorableVisitError,
  InvalidRequestError,
  NonRetriableVisitError,
  RetriableVisitError,
  StaleVisitError,
} from '../prompt-service/visit-errors';
import { NoUsableRawsError } from './ingest-raws';
import { ImagesTimedOutError } from './wait-for-raws';

/** How far processing got when it stopped. */
export type VisitPhase = 'prepare' | 'wait' | 'ingest' | 'pipeline' | 'export';

export interface ApdbVisitCheck {
  containsVisitDetector(visit: bigint, detector: number): Promise<boolean>;
}

export interface FailureContext {
  readonly phase: VisitPhase;
  readonly signal: AbortSignal;
  readonly apdb: ApdbVisitCheck;
  /** Known once raws were ingested. */
  readonly visitId?: number;
  readonly detector: number;
  /** Seconds the fan-out should wait before a retry. */
  readonly retryAfterSeconds: number;
}

function reasonOf(error: unknown, signal: AbortSignal): string {
  const cause = signal.aborted ? signal.reason : error;
  if (cause instanceof Error) return cause.name === 'TimeoutError' ? 'WORKER_TIMEOUT reached' : cause.message;
  return String(cause);
}

export async function visitFailure(error: unknown, context: FailureContext): Promise<Error> {
  if (
    error instanceof IgnorableVisitError ||
    error instanceof InvalidRequestError ||
    error instanceof StaleVisitError ||
    error instanceof RetriableVisitError ||
    error instanceof NonRetriableVisitError
  )
    return error;
  if (error instanceof NoPipelinesConfiguredError) return new IgnorableVisitError(error.message);
  const reason = reasonOf(error, context.signal);
  if (error instanceof ImagesTimedOutError || error instanceof NoUsableRawsError)
    return new NonRetriableVisitError(error.message, { cause: error });
  if (error instanceof NoRunnablePipelineError)
    return new NonRetriableVisitError(`no pipeline can run: ${error.message}`, { cause: error });
  if (context.phase === 'export')
    return new NonRetriableVisitError(
      `the pipeline succeeded but export to the central repo failed (${reason}): do not retry`,
      { cause: error },
    );
  if (context.phase !== 'pipeline' || context.visitId === undefined)
    return new RetriableVisitError(
      `stopped during ${context.phase}, nothing written: ${reason}`,
      context.retryAfterSeconds,
      {
        cause: error,
      },
    );
  let touched: boolean;
  try {
    touched = await context.apdb.containsVisitDetector(BigInt(context.visitId), context.detector);
  } catch (apdbError) {
    return new NonRetriableVisitError(
      `pipeline stopped (${reason}) and the APDB cannot be checked (${(apdbError as Error).message}): not safe to retry`,
      { cause: error },
    );
  }
  return touched
    ? new NonRetriableVisitError(`pipeline stopped after writing to the APDB (${reason}): do not retry`, {
        cause: error,
      })
    : new RetriableVisitError(
        `pipeline stopped before writing to the APDB (${reason}): safe to retry`,
        context.retryAfterSeconds,
        { cause: error },
      );
}
