// The data of the CloudEvent an HTTP request carries. The envelopes the fan-out and curl send —
// CloudEvents 1.0 as structured JSON, or binary mode with a JSON body — are read here with one
// JSON.parse; anything else (batches, base64 data, 0.3 events, extensions, other content types) goes to
// the CloudEvents SDK, whose receiving rules (HTTP.toEvent, non-strict) the direct reading follows.
import { HTTP } from 'cloudevents';

export type HeaderValues = Readonly<Record<string, string | string[] | undefined>>;

export type CloudEventData = { readonly data: unknown } | { readonly refusal: string };

const STRUCTURED_JSON = new Set([
  'application/cloudevents+json',
  'application/cloudevents+json; charset=utf-8',
]);
const BINARY_JSON = new Set(['application/json', 'application/json; charset=utf-8']);
/** Envelope attributes that carry no surprise: with only these, the SDK would just hand `data` over. */
const PLAIN_ATTRIBUTES = new Set([
  'specversion',
  'id',
  'source',
  'type',
  'time',
  'subject',
  'dataschema',
  'datacontenttype',
  'data',
]);
const PLAIN_BINARY_HEADERS = new Set(
  ['specversion', 'id', 'source', 'type', 'time', 'subject', 'dataschema'].map((a) => `ce-${a}`),
);

const notACloudEvent = (error: unknown): CloudEventData => ({
  refusal: `not a CloudEvent: ${(error as Error).message}`,
});

function hasOnly(names: Iterable<string>, allowed: ReadonlySet<string>, prefix = ''): boolean {
  for (const name of names) if (name.startsWith(prefix) && !allowed.has(name)) return false;
  return true;
}

/** Structured mode: the body is the event. Undefined when the SDK must decide. */
function readStructured(body: string): CloudEventData | undefined {
  if (body.charCodeAt(0) !== 0x7b /* { */) return undefined;
  let event: Record<string, unknown>;
  try {
    event = JSON.parse(body) as Record<string, unknown>;
  } catch (error) {
    return notACloudEvent(error);
  }
  if (event.specversion !== '1.0' || !hasOnly(Object.keys(event), PLAIN_ATTRIBUTES)) return undefined;
  return { data: event.data || undefined };
}

/** Binary mode: attributes in ce-* headers, the body is the data. Undefined when the SDK must decide. */
function readBinary(headers: HeaderValues, body: string): CloudEventData | undefined {
  if (headers['ce-specversion'] !== '1.0' || body.charCodeAt(0) !== 0x7b) return undefined;
  if (headers.datacontenttype !== undefined || !hasOnly(Object.keys(headers), PLAIN_BINARY_HEADERS, 'ce-')) {
    return undefined;
  }
  try {
    return { data: JSON.parse(body) };
  } catch (error) {
    return notACloudEvent(error);
  }
}

function singleValued(headers: HeaderValues): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (typeof value === 'string') out[name] = value;
    else if (Array.isArray(value) && value.length > 0) out[name] = value.join(', ');
  }
  return out;
}

function readWithSdk(headers: HeaderValues, body: string): CloudEventData {
  let event: ReturnType<typeof HTTP.toEvent>;
  try {
    event = HTTP.toEvent({ headers: singleValued(headers), body });
  } catch (error) {
    return notACloudEvent(error);
  }
  if (Array.isArray(event)) {
    return { refusal: 'batched CloudEvents are not accepted: send one next_visit per request' };
  }
  return { data: event.data };
}

/**
 * The event's data as sent (a JSON string stays a string). Header names are lower-case, as Node
 * gives them. Throws nothing: a bad request is a refusal with its reason.
 */
export function cloudEventData(headers: HeaderValues, body: string): CloudEventData {
  const contentType = headers['content-type'];
  const direct =
    typeof contentType === 'string' && STRUCTURED_JSON.has(contentType)
      ? readStructured(body)
      : typeof contentType === 'string' && BINARY_JSON.has(contentType) && headers['ce-id']
        ? readBinary(headers, body)
        : undefined;
  return direct ?? readWithSdk(headers, body);
}
