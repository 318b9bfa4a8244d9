// A VisitProcessor that records what the activator does in the visit journal — start, each step as
// the step timer reports it, the pipeline that ran or the failure and its status code — and otherwise
// passes the visit through unchanged.
import type { FannedOutVisit } from '../domain/next-visit';
import type { VisitContext, VisitOutcome, VisitProcessor } from '../ports/visit-processor';
import { statusOf } from '../prompt-service/visit-errors';
import type { VisitJournal } from './visit-journal';

export class ObservedProcessor implements VisitProcessor {
  constructor(
    private readonly inner: VisitProcessor,
    private readonly journal: VisitJournal,
  ) {}

  async processVisit(visit: FannedOutVisit, context: VisitContext): Promise<VisitOutcome> {
    const record = this.journal.entry(visit.instrument, visit.groupId, visit.detector);
    this.journal.started(record);
    try {
      const outcome = await this.inner.processVisit(visit, {
        ...context,
        recordStep: (step, seconds, endedAtUnixMs) => {
          context.recordStep(step, seconds, endedAtUnixMs);
          this.journal.step(record, step, seconds, endedAtUnixMs);
        },
      });
      this.journal.finished(record, { pipeline: outcome.pipeline, httpStatus: 200 });
      return outcome;
    } catch (error) {
      this.journal.failed(record, statusOf(error).statusCode, (error as Error).message);
      throw error;
    }
  }
}
