// A server for bench:http, run in its own process (pinned to one core by the benchmark): either the
// real prompt-service HTTP edge (`service`, with the service's own logger at its default levels,
// writing to /dev/null so the cost of formatting log lines is counted) or a bare fastify route that
// answers 400 (`peer`). Prints its port on stdout once listening; answers each IPC message with the
// CPU time it has used so far, so the benchmark can divide by it.
import Fastify from 'fastify';
import pino from 'pino';
import { DEFAULT_LOG_LEVELS, parseLogLevels } from '../../service/domain/log-levels';
import { buildServiceApp } from '../../service/prompt-service/service-app';
import { serviceLogger } from '../../service/prompt-service/service-logger';

function peerApp() {
  const peer = Fastify({ loggerInstance: pino({ level: 'silent' }) });
  peer.removeAllContentTypeParsers();
  peer.addContentTypeParser('*', { parseAs: 'string' }, (_request, body, done) => done(null, body));
  peer.post('/next-visit', async (_request, reply) =>
    reply.code(400).send({ error: 'invalid', message: 'bad request', retrySafe: false }),
  );
  return peer;
}

function serviceApp() {
  return buildServiceApp({
    processor: {
      processVisit: () => Promise.reject(new Error('bench:http only exercises the 400 path')),
    },
    instrument: 'LSSTCam',
    messageExpirationSeconds: 3600,
    workerTimeoutSeconds: 600,
    logger: serviceLogger(
      parseLogLevels(DEFAULT_LOG_LEVELS),
      'LSSTCam',
      pino.destination({ dest: '/dev/null', sync: true }),
    ),
    version: { version: 'bench', commit: 'bench', deployment: 'bench' },
  });
}

async function main(kind: string): Promise<void> {
  const app = kind === 'service' ? serviceApp() : peerApp();
  const address = await app.listen({ host: '127.0.0.1', port: 0 });
  process.on('message', () => {
    const { user, system } = process.cpuUsage();
    process.send?.({ cpuSeconds: (user + system) / 1e6 });
  });
  process.stdout.write(`${new URL(address).port}\n`);
}

void main(process.argv[2] ?? 'service');
