// The FannedOutVisit check of the HTTP edge: the domain's zod schema rendered as JSON Schema and
// compiled by ajv once, at import. A bad visit costs about a microsecond and no exception (zod's
// failure path builds a ZodError with a stack), which is most of what the 400 path is (bench:http).
import Ajv, { type ErrorObject } from 'ajv';
import { z } from 'zod';
import { type FannedOutVisit, fannedOutVisitSchema } from '../domain/next-visit';

export type VisitCheck = { readonly visit: FannedOutVisit } | { readonly refusal: string };

const validate = new Ajv({ allErrors: false, strict: true }).compile<FannedOutVisit>(
  z.toJSONSchema(fannedOutVisitSchema, { target: 'draft-7' }),
);

function describe(error: ErrorObject): string {
  const params = error.params as Record<string, unknown>;
  if (error.keyword === 'additionalProperties')
    return `unknown field(s): ${String(params.additionalProperty)}`;
  if (error.keyword === 'required') return `${String(params.missingProperty)}: required`;
  const field = error.instancePath.slice(1).replaceAll('/', '.');
  if (error.keyword === 'enum') {
    return `${field} must be one of ${(params.allowedValues as unknown[]).join(', ')}`;
  }
  return field ? `${field}: ${error.message ?? error.keyword}` : (error.message ?? error.keyword);
}

/** The visit, or why it is not one (the same reasons as parseFannedOutVisit names, worded by ajv). */
export function checkFannedOutVisit(value: unknown): VisitCheck {
  if (validate(value)) return { visit: value };
  const first = validate.errors?.[0];
  return { refusal: `not a FannedOutVisit: ${first ? describe(first) : 'invalid'}` };
}
