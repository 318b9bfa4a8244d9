// The JSON answers of POST /next-visit, as fastify response schemas: fastify compiles them once with
// fast-json-stringify, so a refusal (the path a flood of bad requests takes) is serialized by
// generated code rather than by the generic JSON.stringify. Fields and their order are the contract
// upstream's clients read: a 200 says which pipeline ran, anything else says whether a retry is safe.

const processed = {
  type: 'object',
  properties: {
    result: { type: 'string' },
    pipeline: { type: 'string' },
    message: { type: 'string' },
  },
  required: ['result', 'pipeline', 'message'],
  additionalProperties: false,
} as const;

const failed = {
  type: 'object',
  properties: {
    error: { type: 'string' },
    message: { type: 'string' },
    retrySafe: { type: 'boolean' },
  },
  required: ['error', 'message', 'retrySafe'],
  additionalProperties: false,
} as const;

/**
 * `schema.response` of the route: upstream's statuses by name (fastify finds an exact code without
 * building its `4xx` key), and any other 4xx/5xx the error handler might send in the same shape.
 */
export const nextVisitReplies = {
  200: processed,
  400: failed,
  403: failed,
  422: failed,
  500: failed,
  503: failed,
  '4xx': failed,
  '5xx': failed,
} as const;
