// next_visit through a Kafka REST proxy (Confluent REST Proxy v2 API, what upstream's testers POST
// to at USDF's Sasquatch): `POST <url>/topics/<topic>` with Content-Type
// `application/vnd.kafka.avro.v2+json` and `{"value_schema_id": N, "records": [{"value": {…}}]}`.
// The proxy encodes the value with the registered Avro schema; a non-2xx answer or any per-record
// error in the response is a RestProxyError.
import { request } from 'undici';
import type { SummitVisit } from '../../service/domain/next-visit';
import type { NextVisitSender } from './next-visit-sender';

export const KAFKA_AVRO_V2 = 'application/vnd.kafka.avro.v2+json';
export const KAFKA_V2_JSON = 'application/vnd.kafka.v2+json';

export class RestProxyError extends Error {
  override readonly name = 'RestProxyError';
}

export interface RestProxyOptions {
  /** Base URL of the proxy (`https://…/sasquatch-rest-proxy`). */
  readonly url: string;
  readonly topic: string;
  /** Schema registry id of the next_visit Avro schema. */
  readonly valueSchemaId: number;
  /** @default 10000 */
  readonly timeoutMs?: number;
}

/** The request body upstream sends: one record, the visit as the value. */
export function restProxyBody(visit: SummitVisit, valueSchemaId: number): string {
  return JSON.stringify({ value_schema_id: valueSchemaId, records: [{ value: visit }] });
}

export class RestProxyNextVisitSender implements NextVisitSender {
  readonly destination: string;
  private readonly endpoint: string;

  constructor(private readonly options: RestProxyOptions) {
    this.endpoint = `${options.url.replace(/\/+$/, '')}/topics/${encodeURIComponent(options.topic)}`;
    this.destination = `REST proxy ${this.endpoint}`;
  }

  async send(visit: SummitVisit): Promise<void> {
    let response: Awaited<ReturnType<typeof request>>;
    try {
      response = await request(this.endpoint, {
        method: 'POST',
        headers: { 'content-type': KAFKA_AVRO_V2, accept: KAFKA_V2_JSON },
        body: restProxyBody(visit, this.options.valueSchemaId),
        headersTimeout: this.options.timeoutMs ?? 10_000,
        bodyTimeout: this.options.timeoutMs ?? 10_000,
      });
    } catch (error) {
      throw new RestProxyError(
        `REST proxy ${this.endpoint} unreachable: ${(error as Error).message}; check --rest-proxy-url`,
      );
    }
    const text = await response.body.text();
    if (response.statusCode < 200 || response.statusCode >= 300)
      throw new RestProxyError(
        `REST proxy ${this.endpoint} answered ${response.statusCode}: ${text.slice(0, 300)}`,
      );
    const offsets = (safeJson(text) as { offsets?: { error_code?: number | null; error?: string | null }[] })
      ?.offsets;
    const failed = offsets?.find((o) => o.error_code !== undefined && o.error_code !== null);
    if (failed)
      throw new RestProxyError(
        `REST proxy ${this.endpoint} rejected the record: ${failed.error ?? failed.error_code}`,
      );
  }

  async close(): Promise<void> {}
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
