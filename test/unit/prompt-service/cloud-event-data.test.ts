// The direct reading of plain CloudEvent envelopes must hand over exactly what the CloudEvents SDK
// would, and refuse what the SDK refuses, for every envelope shape the service can meet.
import { CloudEvent, HTTP } from 'cloudevents';
import { describe, expect, it } from 'vitest';
import { type CloudEventData, cloudEventData } from '../../../service/prompt-service/cloud-event-data';
import { summitVisit } from '../../support/next-visit-fixtures';

type Headers = Record<string, string>;

function bySdk(headers: Headers, body: string): CloudEventData {
  try {
    const event = HTTP.toEvent({ headers, body });
    return Array.isArray(event) ? { refusal: 'batch' } : { data: event.data };
  } catch (error) {
    return { refusal: `not a CloudEvent: ${(error as Error).message}` };
  }
}

const visit = { ...summitVisit(1_795_849_200), detector: 0 };
const lower = (headers: Record<string, unknown>): Headers =>
  Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), String(v)]));
const structured = (event: CloudEvent<unknown>) => {
  const message = HTTP.structured(event);
  return { headers: lower(message.headers), body: String(message.body) };
};
const binary = (event: CloudEvent<unknown>) => {
  const message = HTTP.binary(event);
  return { headers: lower(message.headers), body: String(message.body) };
};
const event = (extra: Record<string, unknown> = {}) =>
  new CloudEvent({ type: 'com.example.kafka', source: 'next-visit', data: JSON.stringify(visit), ...extra });
const CE_JSON = 'application/cloudevents+json; charset=utf-8';

const cases: Array<[string, { headers: Headers; body: string }]> = [
  ['structured, data as a JSON string (the fan-out)', structured(event())],
  ['structured, data as an object', structured(event({ data: visit }))],
  ['structured, no data', structured(event({ data: undefined }))],
  ['structured, an extension attribute', structured(event({ partition: 3 }))],
  [
    'structured, plain content type',
    { headers: { 'content-type': 'application/cloudevents+json' }, body: structured(event()).body },
  ],
  ['structured, malformed JSON', { headers: { 'content-type': CE_JSON }, body: '{"specversion": "1.0",' }],
  [
    'structured, data 0',
    { headers: { 'content-type': CE_JSON }, body: '{"specversion":"1.0","id":"1","data":0}' },
  ],
  [
    'structured, data_base64',
    { headers: { 'content-type': CE_JSON }, body: '{"specversion":"1.0","data_base64":"e30="}' },
  ],
  [
    'structured 0.3',
    { headers: { 'content-type': CE_JSON }, body: '{"specversion":"0.3","id":"1","data":"{}"}' },
  ],
  [
    'structured, schemaurl on 1.0',
    { headers: { 'content-type': CE_JSON }, body: '{"specversion":"1.0","schemaurl":"x"}' },
  ],
  ['structured, a JSON array', { headers: { 'content-type': CE_JSON }, body: '[1, 2]' }],
  [
    'structured, leading space',
    { headers: { 'content-type': CE_JSON }, body: ` ${structured(event()).body}` },
  ],
  ['structured, empty body', { headers: { 'content-type': CE_JSON }, body: '' }],
  ['binary, JSON object body', binary(event({ data: visit }))],
  ['binary, an extension header', binary(event({ data: visit, partition: 3 }))],
  [
    'binary, malformed JSON',
    { headers: { ...binary(event({ data: visit })).headers }, body: '{"salIndex": ' },
  ],
  ['binary, text body', { headers: { ...binary(event({ data: visit })).headers }, body: 'hello' }],
  ['no CloudEvent at all', { headers: { 'content-type': 'application/json' }, body: JSON.stringify(visit) }],
  ['a batch', { headers: { 'content-type': 'application/cloudevents-batch+json' }, body: '[]' }],
];

describe('cloudEventData', () => {
  it.each(cases)('reads %s as the CloudEvents SDK does', (_what, { headers, body }) => {
    const ours = cloudEventData(headers, body);
    const sdk = bySdk(headers, body);
    if ('refusal' in sdk) {
      expect(ours).toHaveProperty('refusal');
      if (sdk.refusal !== 'batch') expect(ours).toEqual(sdk);
    } else {
      expect(ours).toEqual(sdk);
    }
  });

  it("hands the fan-out's data over as the string it was sent as", () => {
    const { headers, body } = structured(event());
    expect(cloudEventData(headers, body)).toEqual({ data: JSON.stringify(visit) });
  });
});
