// Reads the FannedOutVisit out of an HTTP request carrying a CloudEvent, structured or binary, whose
// data is the visit as a JSON object or as a JSON string (the fan-out sends a string, as upstream's).
// A bad request is a refusal value, not an exception: the 400 path is the one a flood of bad
// requests takes, so it throws nothing and captures no stack (bench:http).
import type { FannedOutVisit } from '../domain/next-visit';
import { cloudEventData, type HeaderValues } from './cloud-event-data';
import { checkFannedOutVisit } from './fanned-out-visit-check';

export type { HeaderValues } from './cloud-event-data';

export type VisitReading = { readonly visit: FannedOutVisit } | { readonly refusal: string };

export function readVisitRequest(headers: HeaderValues, body: string): VisitReading {
  // JSON.parse and the SDK throw on bad input; a bad request needs no stack trace. Synchronous, so
  // nothing else runs while the limit is lowered.
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    return readVisit(headers, body);
  } finally {
    Error.stackTraceLimit = limit;
  }
}

function readVisit(headers: HeaderValues, body: string): VisitReading {
  const event = cloudEventData(headers, body);
  if ('refusal' in event) return event;
  let data = event.data;
  if (data === undefined || data === null || data === '') {
    return { refusal: 'the CloudEvent carries no data: expected a FannedOutVisit' };
  }
  if (typeof data === 'string') {
    try {
      data = JSON.parse(data);
    } catch (error) {
      return { refusal: `the CloudEvent's data is not valid JSON: ${(error as Error).message}` };
    }
  }
  return checkFannedOutVisit(data);
}
