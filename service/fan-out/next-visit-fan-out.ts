// The fan-out's work for one consumed message: decide, then POST every detector's copy concurrently
// (bounded by MAX_FAN_OUT_MESSAGES across all visits) without waiting for the answers, which may take
// minutes, before the next message is read.
import type { FastifyBaseLogger } from 'fastify';
import pLimit from 'p-limit';
import type { FannedOutVisit } from '../domain/next-visit';
import type { Clock } from '../ports/visit-processor';
import { decideFanOut, type FanOutDecision, type FanOutRules } from './fan-out-decision';
import type { FanOutMetrics } from './fan-out-metrics';
import type { PostResult } from './visit-poster';

export interface VisitSender {
  post(visit: FannedOutVisit, signal?: AbortSignal): Promise<PostResult>;
}

export interface NextVisitFanOutOptions {
  readonly rules: FanOutRules;
  readonly sender: VisitSender;
  /** MAX_FAN_OUT_MESSAGES: POSTs in flight at once, over all visits. */
  readonly maxInFlight: number;
  readonly metrics: FanOutMetrics;
  readonly log: FastifyBaseLogger;
  readonly clock: Clock;
}

export interface HandledMessage {
  readonly decision: FanOutDecision;
  /** Settles when every POST of this message was answered (or failed); never rejects. */
  readonly delivered: Promise<readonly (PostResult | Error)[]>;
}

export class NextVisitFanOut {
  private readonly limit: ReturnType<typeof pLimit>;

  constructor(private readonly options: NextVisitFanOutOptions) {
    this.limit = pLimit(options.maxInFlight);
  }

  handle(messageText: string, signal?: AbortSignal): HandledMessage {
    const { metrics, log } = this.options;
    const decision = decideFanOut(messageText, this.options.rules, this.options.clock.nowUtcSeconds());
    if (decision.kind === 'dropped') {
      metrics.messages.inc({ result: decision.reason });
      log.warn({ reason: decision.reason }, 'dropped next_visit: %s', decision.detail);
      return { decision, delivered: Promise.resolve([]) };
    }
    metrics.messages.inc({ result: 'fan-out' });
    if (decision.unknownFields.length > 0) {
      log.warn({ fields: decision.unknownFields }, 'next_visit has fields we do not know; dropped them');
    }
    log.info(
      {
        group: decision.visit.groupId,
        detectors: decision.visits.length,
        instrument: decision.visit.instrument,
      },
      'fanning out next_visit',
    );
    const delivered = Promise.all(decision.visits.map((visit) => this.limit(() => this.send(visit, signal))));
    return { decision, delivered };
  }

  private async send(visit: FannedOutVisit, signal?: AbortSignal): Promise<PostResult | Error> {
    const { metrics, log } = this.options;
    const stop = metrics.requestSeconds.startTimer();
    metrics.inProcess.inc();
    try {
      const result = await this.options.sender.post(visit, signal);
      metrics.requests.inc({ status: String(result.statusCode) });
      if (result.statusCode >= 400) {
        log.warn(
          {
            group: visit.groupId,
            detector: visit.detector,
            status: result.statusCode,
            attempts: result.attempts,
          },
          'prompt service refused the visit',
        );
      }
      return result;
    } catch (error) {
      metrics.requests.inc({ status: 'error' });
      log.error({ group: visit.groupId, detector: visit.detector, err: error }, 'could not POST the visit');
      return error instanceof Error ? error : new Error(String(error));
    } finally {
      stop();
      metrics.inProcess.dec();
    }
  }
}
