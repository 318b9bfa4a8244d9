// bench:fanout — a 189-detector LSSTCam next_visit from the moment it is produced to Kafka until the
// last of its 189 POSTs reaches the service (goal ≤ 50 ms). Needs the local Kafka (npm run services:up).
// Peer in the same run: the same fan-out with one POST at a time (no concurrency).
// Prints JSON: medians and p95 over the runs, and the ratio ours/peer.
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { loadavg } from 'node:os';
import Fastify from 'fastify';
import { Agent } from 'undici';
import { KafkaPublisher } from '../service/adapters/kafka/kafka-publisher';
import { startFanOutConsumer } from '../service/fan-out/fan-out-consumer';
import { FanOutMetrics } from '../service/fan-out/fan-out-metrics';
import { NextVisitFanOut } from '../service/fan-out/next-visit-fan-out';
import { VisitPoster } from '../service/fan-out/visit-poster';
import { systemClock } from '../service/ports/visit-processor';
import { createTopic, quietLogger, testKafka } from '../test/support/kafka';
import { uniqueName } from '../test/support/local-services';
import { summitVisit } from '../test/support/next-visit-fixtures';

interface Sample {
  /** Produce → the last POST's body written to its socket. */
  readonly sentMs: number;
  /** Produce → the last POST received by the service. */
  readonly receivedMs: number;
}

const RUNS = Number(process.env.BENCH_RUNS ?? 20);
const DETECTORS = 189;

const round = (value: number) => Number(value.toFixed(2));

function quantile(values: readonly number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
}

async function measure(maxInFlight: number): Promise<Sample[]> {
  const kafka = testKafka();
  const topic = await createTopic(kafka, 'bench-next-visit');
  const publisher = new KafkaPublisher(kafka);
  let arrivals = 0;
  let lastArrival = 0n;
  let sent = 0;
  let lastSent = 0n;
  const onSent = () => {
    sent += 1;
    lastSent = process.hrtime.bigint();
  };
  subscribe('undici:request:bodySent', onSent);
  const service = Fastify();
  service.addContentTypeParser('*', { parseAs: 'string' }, (_request, body, done) => done(null, body));
  service.post('/next-visit', async () => {
    arrivals += 1;
    lastArrival = process.hrtime.bigint();
    return { result: 'success' };
  });
  const serviceUrl = await service.listen({ host: '127.0.0.1', port: 0 });
  const dispatcher = new Agent({ headersTimeout: 0, bodyTimeout: 0, connections: null });
  const shutdown = new AbortController();
  const fanOut = new NextVisitFanOut({
    rules: { instrument: 'LSSTCam', messageExpirationSeconds: 600 },
    sender: new VisitPoster({ serviceUrl, source: topic, retryOn503: true, dispatcher }),
    maxInFlight,
    metrics: new FanOutMetrics(),
    log: quietLogger,
    clock: systemClock,
  });
  const consumer = await startFanOutConsumer({
    kafka,
    topic,
    groupId: uniqueName('bench-fanout'),
    fanOut,
    signal: shutdown.signal,
  });
  await new Promise((r) => setTimeout(r, 2000));
  const samples: Sample[] = [];
  try {
    for (let run = -2; run < RUNS; run++) {
      arrivals = 0;
      sent = 0;
      const visit = summitVisit(Date.now() / 1000, {
        instrument: 'LSSTCam',
        salIndex: 1,
        groupId: uniqueName('g'),
      });
      const produced = process.hrtime.bigint();
      await publisher.publish(topic, [{ key: null, value: JSON.stringify(visit) }]);
      const deadline = Date.now() + 30_000;
      while (arrivals < DETECTORS) {
        if (Date.now() > deadline) throw new Error(`only ${arrivals} of ${DETECTORS} POSTs arrived`);
        await new Promise((r) => setImmediate(r));
      }
      if (sent !== DETECTORS) throw new Error(`${sent} POSTs sent for ${DETECTORS} detectors`);
      // the first two runs warm up connections and code
      if (run >= 0)
        samples.push({
          sentMs: Number(lastSent - produced) / 1e6,
          receivedMs: Number(lastArrival - produced) / 1e6,
        });
    }
  } finally {
    shutdown.abort();
    await consumer.disconnect();
    await publisher.close();
    await service.close();
    await dispatcher.close();
    unsubscribe('undici:request:bodySent', onSent);
  }
  return samples;
}

async function main(): Promise<void> {
  const ours = await measure(2000);
  const sequential = await measure(1);
  const summary = (samples: Sample[]) => {
    const sentMs = samples.map((s) => s.sentMs);
    const receivedMs = samples.map((s) => s.receivedMs);
    return {
      lastPostSent: { medianMs: round(quantile(sentMs, 0.5)), p95Ms: round(quantile(sentMs, 0.95)) },
      lastPostReceived: {
        medianMs: round(quantile(receivedMs, 0.5)),
        p95Ms: round(quantile(receivedMs, 0.95)),
      },
    };
  };
  const median = (samples: Sample[]) =>
    quantile(
      samples.map((s) => s.sentMs),
      0.5,
    );
  const result = {
    benchmark: 'fanout',
    what: `LSSTCam next_visit produced to Kafka → last of its ${DETECTORS} CloudEvent POSTs sent (and received)`,
    runs: RUNS,
    loadAverage1m: round(loadavg()[0] ?? Number.NaN),
    ours: { maxInFlight: 2000, ...summary(ours) },
    peer: { what: 'same fan-out, one POST at a time', ...summary(sequential) },
    ratioMedianSentOursToPeer: round(median(ours) / median(sequential)),
    goalMs: 50,
    withinGoal: median(ours) <= 50,
  };
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`bench:fanout: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
