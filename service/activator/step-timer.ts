// Step timers: how long prepare, wait, ingest, each task and export took, logged at DEBUG under a
// `timer.*` logger (upstream's timer.lsst.activator) and recorded as a metric through the visit context.

import type { FastifyBaseLogger } from 'fastify';
import type { VisitContext } from '../ports/visit-processor';

export const TIMER_LOGGER = 'timer.lsst.activator';

export class StepTimer {
  constructor(
    private readonly timerLog: FastifyBaseLogger,
    private readonly context: Pick<VisitContext, 'recordStep'>,
  ) {}

  record(step: string, seconds: number, endedAtUnixMs?: number): void {
    this.context.recordStep(step, seconds, endedAtUnixMs);
    this.timerLog.debug({ step, seconds }, '%s took %s s', step, seconds.toFixed(3));
  }

  /** Runs `work` and records its duration under `step`, whether it succeeds or not. */
  async time<T>(step: string, work: () => Promise<T>): Promise<T> {
    const started = performance.now();
    try {
      return await work();
    } finally {
      this.record(step, (performance.now() - started) / 1000);
    }
  }
}
