// The port between the HTTP edge and the activator: process one (visit, detector) to the end, or
// throw one of the typed visit errors (service/prompt-service/visit-errors.ts).
import type { FastifyBaseLogger } from 'fastify';
import type { FannedOutVisit } from '../domain/next-visit';

export interface VisitContext {
  /** Aborts on WORKER_TIMEOUT or shutdown; every await inside processing must honour it. */
  readonly signal: AbortSignal;
  /** Carries the visit's MDC fields (instrument, group, detector, day_obs, survey). */
  readonly log: FastifyBaseLogger;
  /**
   * Records how long a named step took (prep, wait, ingest, pipeline, a task, export); `endedAtUnixMs`
   * when the step ended earlier than now (pipeline tasks are reported after the pipeline).
   */
  readonly recordStep: (step: string, seconds: number, endedAtUnixMs?: number) => void;
}

export interface VisitOutcome {
  /** Basename of the pipeline that ran (after any fallback). */
  readonly pipeline: string;
  readonly message?: string;
}

export interface VisitProcessor {
  processVisit(visit: FannedOutVisit, context: VisitContext): Promise<VisitOutcome>;
}

/** Time, so code that judges staleness can be tested at any instant. */
export interface Clock {
  nowUtcSeconds(): number;
}

export const systemClock: Clock = { nowUtcSeconds: () => Date.now() / 1000 };
