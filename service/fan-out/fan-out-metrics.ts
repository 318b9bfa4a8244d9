// Prometheus metrics of the fan-out: messages by decision, POSTs by status, requests in process and
// how long the service took to answer.
import { Counter, Gauge, Histogram, Registry } from 'prom-client';

export class FanOutMetrics {
  readonly registry: Registry;
  readonly messages: Counter<'result'>;
  readonly requests: Counter<'status'>;
  readonly inProcess: Gauge;
  readonly requestSeconds: Histogram;

  constructor(registry = new Registry()) {
    this.registry = registry;
    this.messages = new Counter({
      name: 'fanout_next_visit_messages_total',
      help: 'next_visit messages consumed, by result (fan-out, invalid, stale, no-instrument, other-instrument)',
      labelNames: ['result'],
      registers: [registry],
    });
    this.requests = new Counter({
      name: 'fanout_requests_total',
      help: 'POSTs to the prompt service, by HTTP status (or "error" when no answer came)',
      labelNames: ['status'],
      registers: [registry],
    });
    this.inProcess = new Gauge({
      name: 'fanout_in_process_requests',
      help: 'POSTs sent and not yet answered',
      registers: [registry],
    });
    this.requestSeconds = new Histogram({
      name: 'fanout_request_processing_seconds',
      help: 'Time from POST to the service’s answer (the whole processing of one detector)',
      buckets: [0.01, 0.1, 1, 5, 10, 30, 60, 120, 300, 600, 1200],
      registers: [registry],
    });
  }
}
