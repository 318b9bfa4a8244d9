// Request bodies reach the routes as text: the CloudEvents readers take headers + text. Fastify
// caches its parser lookup only for content types it finds a parser registered under, and parses the
// Content-Type header afresh on every request that falls through to the catch-all; so the media types
// the fan-out and curl send get a parser of their own, the catch-all takes the rest.
import type { FastifyBodyParser, FastifyInstance } from 'fastify';

/** Media types of the CloudEvents the service is sent (structured, and binary mode with JSON data). */
const CLOUD_EVENT_MEDIA_TYPES = ['application/cloudevents+json', 'application/json'] as const;

export function takeBodiesAsText(app: FastifyInstance): void {
  app.removeAllContentTypeParsers();
  const asText = { parseAs: 'string' } as const;
  const keep: FastifyBodyParser<string> = (_request, body, done) => done(null, body);
  for (const mediaType of CLOUD_EVENT_MEDIA_TYPES) app.addContentTypeParser(mediaType, asText, keep);
  app.addContentTypeParser('*', asText, keep);
}
