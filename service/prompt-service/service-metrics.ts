// Prometheus metrics of the prompt service: requests by outcome, step durations, and what is in flight.
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { VisitStatus } from './visit-errors';

type Result = VisitStatus['result'];

export class ServiceMetrics {
  readonly registry: Registry;
  private readonly requests: Counter<'result'>;
  /**
   * Requests counted since the last scrape, by result: a refused request (the path a flood takes)
   * adds to a number, and prom-client's labelled counter is brought up to date when it is read.
   */
  private readonly uncollected = new Map<Result, { count: number }>();
  private readonly steps: Histogram<'step'>;
  private readonly inFlight: Gauge;

  constructor(registry = new Registry()) {
    this.registry = registry;
    this.requests = new Counter({
      name: 'prompt_next_visit_requests_total',
      help: 'next_visit requests handled, by result (success, invalid, stale, ignored, retriable, error)',
      labelNames: ['result'],
      registers: [registry],
      collect: () => this.collectRequests(),
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
    const pending = this.uncollected.get(status.result);
    if (pending) pending.count += 1;
    else this.uncollected.set(status.result, { count: 1 });
  }

  private collectRequests(): void {
    for (const [result, pending] of this.uncollected) {
      if (pending.count === 0) continue;
      this.requests.inc({ result }, pending.count);
      pending.count = 0;
    }
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
