// The next_visit message: what the summit announces before each visit (SummitVisit) and what the
// fan-out sends the prompt service, one per detector (FannedOutVisit). Field names, enum codes and
// strictness follow upstream so existing tooling can talk to us: unknown keys are rejected.
import { z } from 'zod';
import { INSTRUMENT_NAMES, type InstrumentName } from './instruments';
import { taiToUtc } from './tai';

/** SAL ScriptQueue MetadataCoordSys. */
export const CoordinateSystem = { NONE: 1, ICRS: 2, OBSERVED: 3, MOUNT: 4 } as const;
/** SAL ScriptQueue MetadataRotSys. */
export const RotationSystem = { NONE: 1, SKY: 2, HORIZON: 3, MOUNT: 4 } as const;
/** SAL ScriptQueue MetadataDome. */
export const Dome = { CLOSED: 1, OPEN: 2, EITHER: 3 } as const;

// Plain literals and numbers (zod rejects NaN and infinities itself), no refinements: the schema must
// render to JSON Schema whole, since the HTTP edge compiles that rendering (fanned-out-visit-check.ts).
function intEnum<T extends Record<string, number>>(codes: T, what: string) {
  const allowed = Object.values(codes) as T[keyof T][];
  return z.literal(allowed, { error: `${what} must be one of ${allowed.join(', ')}` });
}

const finite = z.number();

/** Fields every next_visit carries, summit or fanned out. */
const visitFields = {
  salIndex: z.number().int(),
  scriptSalIndex: z.number().int(),
  groupId: z.string().min(1),
  coordinateSystem: intEnum(CoordinateSystem, 'coordinateSystem'),
  position: z.tuple([finite, finite]),
  startTime: finite,
  rotationSystem: intEnum(RotationSystem, 'rotationSystem'),
  cameraAngle: finite,
  filters: z.string(),
  dome: intEnum(Dome, 'dome'),
  duration: finite.nonnegative(),
  nimages: z.number().int().nonnegative(),
  instrument: z.string(),
  survey: z.string(),
  totalCheckpoints: z.number().int().nonnegative(),
  private_sndStamp: finite,
};

export const fannedOutVisitSchema = z.strictObject({
  ...visitFields,
  detector: z.number().int().nonnegative(),
});

/** One detector's share of a visit, as POSTed to the prompt service. */
export type FannedOutVisit = z.infer<typeof fannedOutVisitSchema>;

/** Summit-only fields the fan-out drops. */
const summitExtras = {
  private_efdStamp: finite.optional(),
  private_kafkaStamp: finite.optional(),
  private_identity: z.string().optional(),
  private_revCode: z.string().optional(),
  private_origin: z.number().int().optional(),
  private_seqNum: z.number().int().optional(),
  private_rcvStamp: finite.optional(),
};

export const summitVisitSchema = z.strictObject({ ...visitFields, ...summitExtras });

/** The next_visit event as the summit (or a tester) publishes it, once per visit. */
export type SummitVisit = z.infer<typeof summitVisitSchema>;

/** The message is not a next_visit we can use; the reason names the field. (HTTP 400) */
export class InvalidVisitError extends Error {
  override readonly name = 'InvalidVisitError';
}

function describe(error: z.ZodError): string {
  return error.issues
    .map((issue) => {
      if (issue.code === 'unrecognized_keys') return `unknown field(s): ${issue.keys.join(', ')}`;
      const path = issue.path.join('.');
      return path ? `${path}: ${issue.message}` : issue.message;
    })
    .join('; ');
}

export function parseFannedOutVisit(value: unknown): FannedOutVisit {
  const result = fannedOutVisitSchema.safeParse(value);
  if (!result.success) throw new InvalidVisitError(`not a FannedOutVisit: ${describe(result.error)}`);
  return result.data;
}

export function parseSummitVisit(value: unknown): SummitVisit {
  const result = summitVisitSchema.safeParse(value);
  if (!result.success) throw new InvalidVisitError(`not a next_visit: ${describe(result.error)}`);
  return result.data;
}

/** Summit visits as the fan-out reads them: unknown fields are dropped (and reported), not fatal,
 * so a field the summit adds one day does not stop every visit. */
const summitVisitLenientSchema = z.object({ ...visitFields, ...summitExtras });

export interface ReadSummitVisit {
  readonly visit: SummitVisit;
  /** Fields the message had that we do not know, dropped. */
  readonly unknownFields: readonly string[];
}

export function readSummitVisit(value: unknown): ReadSummitVisit {
  const result = summitVisitLenientSchema.safeParse(value);
  if (!result.success) throw new InvalidVisitError(`not a next_visit: ${describe(result.error)}`);
  const known = new Set(Object.keys(summitVisitLenientSchema.shape));
  const unknownFields =
    typeof value === 'object' && value !== null ? Object.keys(value).filter((k) => !known.has(k)) : [];
  return { visit: result.data, unknownFields };
}

/** One FannedOutVisit per detector, without the summit-only fields. */
export function fanOutVisit(visit: SummitVisit, detectors: readonly number[]): FannedOutVisit[] {
  const {
    private_efdStamp: _efd,
    private_kafkaStamp: _kafka,
    private_identity: _identity,
    private_revCode: _revCode,
    private_origin: _origin,
    private_seqNum: _seqNum,
    private_rcvStamp: _rcv,
    ...shared
  } = visit;
  return detectors.map((detector) => ({ ...shared, detector }));
}

/** Seconds since the message was sent (private_sndStamp is TAI), at a UTC instant. */
export function visitAgeSeconds(
  visit: Pick<FannedOutVisit, 'private_sndStamp'>,
  nowUtcUnixSeconds: number,
): number {
  return nowUtcUnixSeconds - taiToUtc(visit.private_sndStamp);
}

/** True when the instrument field names one of ours (the fan-out drops the others). */
export function visitInstrument(visit: Pick<SummitVisit, 'instrument'>): InstrumentName | undefined {
  return (INSTRUMENT_NAMES as readonly string[]).includes(visit.instrument)
    ? (visit.instrument as InstrumentName)
    : undefined;
}
