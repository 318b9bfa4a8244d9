// Where the local services started by scripts/services.sh listen, read from the env files those
// scripts write under `.services/` (or PP_SERVICES_DIR): the tests and `npm start -- --real` use them.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export function localServicesDir(repoRoot: string): string {
  return process.env.PP_SERVICES_DIR ?? join(repoRoot, '.services');
}

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

export function localS3Endpoint(servicesDir: string): S3Endpoint {
  const env = readEnvFile(join(servicesDir, 'rgw', 's3.env'));
  const get = (name: string): string => {
    const value = env[name];
    if (!value)
      throw new Error(`${name} missing from ${servicesDir}/rgw/s3.env: rerun "npm run services:up"`);
    return value;
  };
  return {
    endpoint: get('S3_ENDPOINT_URL'),
    region: env.AWS_REGION ?? 'us-east-1',
    accessKeyId: get('AWS_ACCESS_KEY_ID'),
    secretAccessKey: get('AWS_SECRET_ACCESS_KEY'),
  };
}

/** DATABASE_URL (the test database) or DEV_DATABASE_URL (what `npm start -- --real` uses). */
export function localDatabaseUrl(servicesDir: string, name: 'DATABASE_URL' | 'DEV_DATABASE_URL'): string {
  const url = readEnvFile(join(servicesDir, 'postgres', 'postgres.env'))[name];
  if (!url)
    throw new Error(`${name} missing from ${servicesDir}/postgres/postgres.env: rerun "npm run services:up"`);
  return url;
}
