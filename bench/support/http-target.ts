// A server for bench:http, run in its own process (pinned to one core by the benchmark): either the
// real prompt-service HTTP edge (`service`) or a bare fastify route that answers 400 (`peer`). Prints
// its port on stdout once listening.
import Fastify from 'fastify';
import pino from 'pino';
import { buildServiceApp } from '../../service/prompt-service/service-app';

async function main(kind: string): Promise<void> {
  const logger = pino({ level: 'silent' });
  if (kind !== 'service') {
    const peer = Fastify({ loggerInstance: logger });
    peer.removeAllContentTypeParsers();
    peer.addContentTypeParser('*', { parseAs: 'string' }, (_request, body, done) => done(null, body));
    peer.post('/next-visit', async (_request, reply) =>
      reply.code(400).send({ error: 'invalid', message: 'bad request', retrySafe: false }),
    );
    const address = await peer.listen({ host: '127.0.0.1', port: 0 });
    process.stdout.write(`${new URL(address).port}\n`);
    return;
  }
  const app = buildServiceApp({
    processor: {
      processVisit: () => Promise.reject(new Error('bench:http only exercises the 400 path')),
    },
    instrument: 'LSSTCam',
    messageExpirationSeconds: 3600,
    workerTimeoutSeconds: 600,
    logger,
    version: { version: 'bench', commit: 'bench', deployment: 'bench' },
  });
  const address = await app.listen({ host: '127.0.0.1', port: 0 });
  process.stdout.write(`${new URL(address).port}\n`);
}

void main(process.argv[2] ?? 'service');
