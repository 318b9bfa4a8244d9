// Where the local services listen, for benchmarks (read from the env files scripts/services.sh
// writes; PP_SERVICES_DIR points elsewhere when the services run from another checkout).
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const servicesDir = process.env.PP_SERVICES_DIR ?? join(resolve(__dirname, '..', '..'), '.services');

function envFile(path: string): Record<string, string> {
  const text = readFileSync(join(servicesDir, path), 'utf8');
  return Object.fromEntries(
    text.split('\n').flatMap((line) => {
      const match = /^([A-Z0-9_]+)=(.*)$/.exec(line.trim());
      return match?.[1] ? [[match[1], match[2] ?? '']] : [];
    }),
  );
}

export function benchDatabaseUrl(): string {
  const url = envFile('postgres/postgres.env').DATABASE_URL;
  if (!url) throw new Error('DATABASE_URL missing: start the services with "npm run services:up"');
  return url;
}

/** Puts the local RGW's keys into this process's environment and returns its endpoint. */
export function benchS3Endpoint(): string {
  const env = envFile('rgw/s3.env');
  for (const name of ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_REGION'])
    if (env[name]) process.env[name] = env[name];
  process.env.AWS_REQUEST_CHECKSUM_CALCULATION = 'WHEN_REQUIRED';
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  const endpoint = env.S3_ENDPOINT_URL;
  if (!endpoint) throw new Error('S3_ENDPOINT_URL missing: start the services with "npm run services:up"');
  return endpoint;
}

export function uniqueSuffix(): string {
  return `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
}

export function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return Math.round((sorted[index] ?? Number.NaN) * 100) / 100;
}

export function elapsedMs(start: bigint): number {
  return Number(process.hrtime.bigint() - start) / 1e6;
}
