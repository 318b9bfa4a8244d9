// Prometheus metrics of the prompt service: requests by outcome, step durations, and what is in flight.
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { VisitStatus } from './visit-errors';

export class ServiceMetrics {
  readonly registry: Registry;
  private readonly requests: Counter<'result'>;
  /** One child per result, bound once: no label lookup per request. */
  private readonly requestsByResult = new Map<VisitStatus['result'], Counter.Internal>();
  private readonly steps: Histogram<'step'>;
  private readonly inFlight: Gauge;

  constructor(registry = new Registry()) {
    this.registry = registry;
    this.requests = new Counter({
      name: 'prompt_next_visit_requests_total',
      help: 'next_visit requests handled, by result (success, invalid, stale, ignored, retriable, error)',
      labelNames: ['result'],
      registers: [registry],
    });
    this.steps = new Histogram({
      name: 'prompt_step_duration_seconds',
      help: 'Duration of each processing step (prep, wait, ingest, pipeline tasks, export, total)',
      labelNames: ['step'],
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600],
      registers: [registry],
    });
    this.inFlight = new Gauge({
      name: 'prompt_requests_in_flight',
      help: 'next_visit requests being processed now',
      registers: [registry],
    });
  }

  counted(status: VisitStatus): void {
    let counter = this.requestsByResult.get(status.result);
    if (!counter) {
      counter = this.requests.labels({ result: status.result });
      this.requestsByResult.set(status.result, counter);
    }
    counter.inc();
  }

  recordStep(step: string, seconds: number): void {
    this.steps.observe({ step }, seconds);
  }

  started(): void {
    this.inFlight.inc();
  }

  finished(): void {
    this.inFlight.dec();
  }
}
