// Where the local services started by scripts/services.sh listen, read from the env files those
// scripts write under .services/. Also bounded checks that turn a dead service into a clear error
// naming it, so a test fails fast instead of hanging.
import { readFileSync } from 'node:fs';
import { Socket } from 'node:net';
import { join, resolve } from 'node:path';

export const repoRoot = resolve(__dirname, '..', '..');
export const servicesDir = process.env.PP_SERVICES_DIR ?? join(repoRoot, '.services');
export const sharedDir = resolve(repoRoot, '..', 'shared');

export function readEnvFile(path: string): Record<string, string> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw new Error(`${path} is missing: start the local services with "npm run services:up"`);
  }
  const entries: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const match = /^([A-Z0-9_]+)=(.*)$/.exec(line.trim());
    if (match?.[1]) entries[match[1]] = match[2] ?? '';
  }
  return entries;
}

export interface S3Endpoint {
  readonly endpoint: string;
  readonly region: string;
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
}

export function s3Endpoint(): S3Endpoint {
  const env = readEnvFile(join(servicesDir, 'rgw', 's3.env'));
  const get = (name: string): string => {
    const value = env[name];
    if (!value) throw new Error(`${name} missing from .services/rgw/s3.env: rerun "npm run services:up"`);
    return value;
  };
  return {
    endpoint: get('S3_ENDPOINT_URL'),
    region: env.AWS_REGION ?? 'us-east-1',
    accessKeyId: get('AWS_ACCESS_KEY_ID'),
    secretAccessKey: get('AWS_SECRET_ACCESS_KEY'),
  };
}

export function databaseUrl(): string {
  const url = readEnvFile(join(servicesDir, 'postgres', 'postgres.env')).DATABASE_URL;
  if (!url)
    throw new Error('DATABASE_URL missing from .services/postgres/postgres.env: rerun "npm run services:up"');
  return url;
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
