// The fan-out against real Kafka and a live prompt service edge: a next_visit produced to the topic
// turns into one CloudEvent POST per detector, answered by the service's own HTTP app.
import Fastify, { type FastifyInstance } from 'fastify';
import type { Consumer, Kafka } from 'kafkajs';
import { Agent } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KafkaPublisher } from '../../service/adapters/kafka/kafka-publisher';
import type { FannedOutVisit } from '../../service/domain/next-visit';
import { startFanOutConsumer } from '../../service/fan-out/fan-out-consumer';
import { FanOutMetrics } from '../../service/fan-out/fan-out-metrics';
import { NextVisitFanOut } from '../../service/fan-out/next-visit-fan-out';
import { VisitPoster } from '../../service/fan-out/visit-poster';
import { systemClock, type VisitProcessor } from '../../service/ports/visit-processor';
import { buildServiceApp } from '../../service/prompt-service/service-app';
import { createTopic, quietLogger, testKafka } from '../support/kafka';
import { uniqueName } from '../support/local-services';
import { summitVisit } from '../support/next-visit-fixtures';

async function until(condition: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('fan-out: Kafka next_visit → one POST per detector', () => {
  let kafka: Kafka;
  let publisher: KafkaPublisher;
  let service: FastifyInstance;
  let serviceUrl: string;
  let consumer: Consumer;
  let topic: string;
  const received: FannedOutVisit[] = [];
  const metrics = new FanOutMetrics();
  const dispatcher = new Agent({ headersTimeout: 0, bodyTimeout: 0 });
  const shutdown = new AbortController();

  beforeAll(async () => {
    kafka = testKafka();
    publisher = new KafkaPublisher(kafka);
    topic = await createTopic(kafka, 'it-next-visit');
    const processor: VisitProcessor = {
      processVisit: async (visit) => {
        received.push(visit);
        return { pipeline: 'Isr' };
      },
    };
    service = buildServiceApp({
      processor,
      instrument: 'LSSTComCam',
      messageExpirationSeconds: 600,
      workerTimeoutSeconds: 10,
      workerCount: 20,
      logger: quietLogger,
      version: { version: 'test', commit: 'test', deployment: 'test' },
    });
    serviceUrl = await service.listen({ host: '127.0.0.1', port: 0 });
    const fanOut = new NextVisitFanOut({
      rules: { instrument: 'LSSTComCam', messageExpirationSeconds: 600 },
      sender: new VisitPoster({ serviceUrl, source: topic, retryOn503: true, dispatcher }),
      maxInFlight: 4,
      metrics,
      log: quietLogger,
      clock: systemClock,
    });
    consumer = await startFanOutConsumer({
      kafka,
      topic,
      groupId: uniqueName('it-fanout'),
      fanOut,
      signal: shutdown.signal,
    });
    // the consumer starts at the newest offset: wait until it has joined before producing
    await new Promise((r) => setTimeout(r, 1500));
  });

  afterAll(async () => {
    shutdown.abort();
    await consumer?.disconnect();
    await service?.close();
    await publisher?.close();
    await dispatcher.close();
  });

  it('delivers a ComCam visit to all nine detectors, skipping a bad message before it', async () => {
    const now = Date.now() / 1000;
    const visit = summitVisit(now, { instrument: 'LSSTComCam', salIndex: 1, groupId: uniqueName('group') });
    await publisher.publish(topic, [
      { key: null, value: '{"not": "a visit"}' },
      { key: null, value: JSON.stringify(summitVisit(now, { instrument: 'HSC' })) },
      { key: null, value: JSON.stringify(visit) },
    ]);
    await until(() => received.length >= 9, 15_000, 'nine POSTs');
    expect(received.map((v) => v.detector).sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
    expect(new Set(received.map((v) => v.groupId))).toEqual(new Set([visit.groupId]));
    // The server sees the ninth POST before the poster has its answer and counts it: poll the metric.
    const answered = /fanout_requests_total\{status="200"\} 9/;
    let text = await metrics.registry.metrics();
    for (const deadline = Date.now() + 5_000; !answered.test(text) && Date.now() < deadline; ) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      text = await metrics.registry.metrics();
    }
    expect(text).toMatch(/fanout_next_visit_messages_total\{result="invalid"\} 1/);
    expect(text).toMatch(/fanout_next_visit_messages_total\{result="other-instrument"\} 1/);
    expect(text).toMatch(/fanout_requests_total\{status="200"\} 9/);
  });
});

describe('visit poster', () => {
  it('retries once after Retry-After when the service answers 503', async () => {
    let calls = 0;
    const flaky = Fastify();
    flaky.addContentTypeParser('*', { parseAs: 'string' }, (_request, body, done) => done(null, body));
    flaky.post('/next-visit', async (_request, reply) => {
      calls += 1;
      return calls === 1 ? reply.code(503).header('retry-after', '0').send({}) : reply.code(200).send({});
    });
    const url = await flaky.listen({ host: '127.0.0.1', port: 0 });
    const dispatcher = new Agent();
    try {
      const poster = new VisitPoster({ serviceUrl: url, source: 't', retryOn503: true, dispatcher });
      const visit = { ...summitVisit(Date.now() / 1000), detector: 0 };
      expect(await poster.post(visit)).toEqual({ statusCode: 200, attempts: 2 });
      const once = new VisitPoster({ serviceUrl: url, source: 't', retryOn503: false, dispatcher });
      calls = 0;
      expect(await once.post(visit)).toEqual({ statusCode: 503, attempts: 1 });
    } finally {
      await flaky.close();
      await dispatcher.close();
    }
  });
});
