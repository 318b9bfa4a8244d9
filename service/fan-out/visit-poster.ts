// POSTs one detector's visit to the prompt service as a structured CloudEvent whose data is the visit
// as a JSON string (what upstream's fan-out sends and the service accepts). Retries once on 503 after
// the Retry-After the service asked for, as Knative may answer 503 while a revision scales up.
import { CloudEvent, HTTP } from 'cloudevents';
import { type Dispatcher, request } from 'undici';
import type { FannedOutVisit } from '../domain/next-visit';

export interface PostResult {
  readonly statusCode: number;
  readonly attempts: number;
}

export interface VisitPosterOptions {
  /** Base URL of the instrument's service; requests go to `<url>/next-visit`. */
  readonly serviceUrl: string;
  /** CloudEvent `source`: the topic the visit came from. */
  readonly source: string;
  readonly retryOn503: boolean;
  /** HTTP connection pool shared by all posts. */
  readonly dispatcher: Dispatcher;
  /** Longest Retry-After honoured, so a bad header cannot park a request for hours. @default 60 */
  readonly maxRetryAfterSeconds?: number;
}

export function nextVisitUrl(serviceUrl: string): string {
  return `${serviceUrl.replace(/\/+$/, '')}/next-visit`;
}

function retryAfterSeconds(header: string | string[] | undefined, cap: number): number {
  const value = Array.isArray(header) ? header[0] : header;
  const seconds = Number(value);
  return Number.isFinite(seconds) && seconds >= 0 ? Math.min(seconds, cap) : Math.min(30, cap);
}

function sleep(seconds: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, seconds * 1000);
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        reject(signal.reason);
      },
      { once: true },
    );
  });
}

export class VisitPoster {
  private readonly url: string;

  constructor(private readonly options: VisitPosterOptions) {
    this.url = nextVisitUrl(options.serviceUrl);
  }

  async post(visit: FannedOutVisit, signal?: AbortSignal): Promise<PostResult> {
    const message = HTTP.structured(
      new CloudEvent({ type: 'com.example.kafka', source: this.options.source, data: JSON.stringify(visit) }),
    );
    const send = async () => {
      const response = await request(this.url, {
        method: 'POST',
        headers: message.headers as Record<string, string>,
        body: String(message.body),
        dispatcher: this.options.dispatcher,
        signal,
      });
      await response.body.dump();
      return response;
    };
    let response = await send();
    if (response.statusCode === 503 && this.options.retryOn503) {
      await sleep(
        retryAfterSeconds(response.headers['retry-after'], this.options.maxRetryAfterSeconds ?? 60),
        signal,
      );
      response = await send();
      return { statusCode: response.statusCode, attempts: 2 };
    }
    return { statusCode: response.statusCode, attempts: 1 };
  }
}
