// The REST-proxy client against a small local HTTP server that checks what upstream's proxy needs:
// the path, the Avro v2 content type, and a body of value_schema_id + records[].value. (No Confluent
// REST proxy can be installed on this machine; this server stands in for its request checks.)
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseSummitVisit } from '../../../service/domain/next-visit';
import { nextVisitFor } from '../../../tester/upload/next-visit-message';
import {
  KAFKA_AVRO_V2,
  RestProxyError,
  RestProxyNextVisitSender,
} from '../../../tester/upload/rest-proxy-sender';

interface Received {
  readonly path: string;
  readonly contentType: string;
  readonly body: { value_schema_id?: unknown; records?: { value?: unknown }[] };
}

const received: Received[] = [];
let server: Server;
let base = '';

async function bodyOf(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

beforeAll(async () => {
  server = createServer(async (request, response) => {
    const text = await bodyOf(request);
    const contentType = request.headers['content-type'] ?? '';
    if (request.url?.startsWith('/broken/')) {
      response.writeHead(200, { 'content-type': 'application/vnd.kafka.v2+json' });
      response.end(
        JSON.stringify({
          offsets: [{ partition: null, offset: null, error_code: 40801, error: 'Schema not found' }],
        }),
      );
      return;
    }
    if (request.method !== 'POST' || contentType !== KAFKA_AVRO_V2) {
      response.writeHead(415, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ error_code: 415, message: `unsupported ${contentType}` }));
      return;
    }
    const body = JSON.parse(text) as Received['body'];
    received.push({ path: request.url ?? '', contentType, body });
    if (typeof body.value_schema_id !== 'number' || !Array.isArray(body.records)) {
      response.writeHead(422, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ error_code: 42203, message: 'value_schema_id and records required' }));
      return;
    }
    response.writeHead(200, { 'content-type': 'application/vnd.kafka.v2+json' });
    response.end(
      JSON.stringify({
        key_schema_id: null,
        value_schema_id: body.value_schema_id,
        offsets: [{ partition: 0, offset: 7 }],
      }),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

const visit = nextVisitFor({
  instrument: 'LATISS',
  groupId: '2026-11-28T00:00:00.028838',
  group: { raDeg: 240, decDeg: -30, physicalFilter: 'SDSSr_65mm~empty', salIndex: 2, snaps: 1 },
  nowUtc: 1_795_900_000,
  slewSeconds: 2,
});

describe('next_visit through a Kafka REST proxy', () => {
  it('POSTs Avro v2 JSON with value_schema_id and the visit as the one record', async () => {
    const sender = new RestProxyNextVisitSender({
      url: `${base}/sasquatch-rest-proxy/`,
      topic: 'test.next-visit',
      valueSchemaId: 170,
    });
    await sender.send(visit);
    const last = received.at(-1);
    expect(last?.path).toBe('/sasquatch-rest-proxy/topics/test.next-visit');
    expect(last?.contentType).toBe('application/vnd.kafka.avro.v2+json');
    expect(last?.body.value_schema_id).toBe(170);
    expect(last?.body.records).toHaveLength(1);
    expect(parseSummitVisit(last?.body.records?.[0]?.value)).toEqual(visit);
  });

  it("fails with the proxy's status and message on a non-2xx answer", async () => {
    const sender = new RestProxyNextVisitSender({ url: base, topic: 'x', valueSchemaId: 1 });
    // A path the stand-in rejects as unsupported by sending to a server that answers 404.
    const wrong = new RestProxyNextVisitSender({ url: `${base}/broken`, topic: 'x', valueSchemaId: 1 });
    await expect(wrong.send(visit)).rejects.toThrow(/rejected the record: Schema not found/);
    await expect(sender.send(visit)).resolves.toBeUndefined();
  });

  it('fails with a clear error when the proxy is unreachable', async () => {
    const sender = new RestProxyNextVisitSender({
      url: 'http://127.0.0.1:1',
      topic: 'x',
      valueSchemaId: 1,
      timeoutMs: 1000,
    });
    await expect(sender.send(visit)).rejects.toThrow(RestProxyError);
    await expect(sender.send(visit)).rejects.toThrow(/unreachable.*--rest-proxy-url/);
  });
});
