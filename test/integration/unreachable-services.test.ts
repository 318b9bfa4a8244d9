// A service that is gone must fail a test in seconds with its name in the message, never hang it.
// These point the same helpers and adapters the suites use at a loopback port where nothing listens.
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { Client } from 'pg';
import { describe, expect, it } from 'vitest';
import { KafkaPublisher } from '../../service/adapters/kafka/kafka-publisher';
import { testKafka } from '../support/kafka';
import { expectListening } from '../support/local-services';

const deadPort = '127.0.0.1:1';

async function elapsed(work: () => Promise<unknown>): Promise<{ ms: number; error: unknown }> {
  const started = Date.now();
  try {
    await work();
  } catch (error) {
    return { ms: Date.now() - started, error };
  }
  throw new Error('expected the call to fail');
}

describe('unreachable services fail fast with their name', () => {
  it('Kafka: the readiness check names the service and the fix', async () => {
    const { ms, error } = await elapsed(() => expectListening('Kafka', deadPort));
    expect(String(error)).toMatch(/Kafka is not reachable at 127\.0\.0\.1:1 .*npm run services:up/);
    expect(ms).toBeLessThan(3000);
  });

  it('Kafka: a publish to a dead broker is refused within its timeout', async () => {
    const publisher = new KafkaPublisher(testKafka(deadPort), { publishTimeoutMs: 2000 });
    const { ms, error } = await elapsed(() => publisher.publish('t', [{ key: null, value: 'x' }]));
    await publisher.close();
    expect(String(error)).toMatch(/kafka did not take 1 message/);
    expect(ms).toBeLessThan(5000);
  });

  it('PostgreSQL: connecting to a dead port fails with the address', async () => {
    const client = new Client({ host: '127.0.0.1', port: 1, user: 'prompt', connectionTimeoutMillis: 2000 });
    const { ms, error } = await elapsed(() => client.connect());
    expect(String(error)).toMatch(/ECONNREFUSED 127\.0\.0\.1:1/);
    expect(ms).toBeLessThan(3000);
  });

  it('S3: a request to a dead endpoint fails fast', async () => {
    const s3 = new S3Client({
      endpoint: `http://${deadPort}`,
      region: 'us-east-1',
      forcePathStyle: true,
      maxAttempts: 1,
      credentials: { accessKeyId: 'x', secretAccessKey: 'y' },
    });
    const { ms, error } = await elapsed(() => s3.send(new GetObjectCommand({ Bucket: 'b', Key: 'k' })));
    s3.destroy();
    expect(String(error)).toMatch(/ECONNREFUSED/);
    expect(ms).toBeLessThan(3000);
  });
});
