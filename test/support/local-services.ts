// Where the local services started by scripts/services.sh listen, read from the env files those
// scripts write under .services/. Also bounded checks that turn a dead service into a clear error
// naming it, so a test fails fast instead of hanging.
import { Socket } from 'node:net';
import { resolve } from 'node:path';
import {
  localDatabaseUrl,
  localS3Endpoint,
  localServicesDir,
  readEnvFile,
  type S3Endpoint,
} from '../../service/config/local-services';

export const repoRoot = resolve(__dirname, '..', '..');
export const servicesDir = localServicesDir(repoRoot);
export const sharedDir = resolve(repoRoot, '..', 'shared');

export { readEnvFile, type S3Endpoint };

export function s3Endpoint(): S3Endpoint {
  return localS3Endpoint(servicesDir);
}

export function databaseUrl(): string {
  return localDatabaseUrl(servicesDir, 'DATABASE_URL');
}

export const kafkaBootstrap = process.env.KAFKA_CLUSTER ?? '127.0.0.1:9092';

/**
 * Resolves when host:port accepts a TCP connection within timeoutMs, else rejects with an error that
 * names the service and says how to start it.
 */
export function expectListening(service: string, hostPort: string, timeoutMs = 2000): Promise<void> {
  const [host, portText] = hostPort.split(':');
  const port = Number(portText);
  return new Promise((resolvePromise, reject) => {
    const socket = new Socket();
    const fail = (why: string) => {
      socket.destroy();
      reject(
        new Error(`${service} is not reachable at ${hostPort} (${why}): start it with "npm run services:up"`),
      );
    };
    socket.setTimeout(timeoutMs, () => fail(`no answer within ${timeoutMs} ms`));
    socket.once('error', (error) => fail(error.message));
    socket.connect(port, host ?? '127.0.0.1', () => {
      socket.destroy();
      resolvePromise();
    });
  });
}

/** A name no earlier run used, for topics, buckets and schemas created by one test. */
export function uniqueName(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
}
