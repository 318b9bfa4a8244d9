// Where the local services listen, for benchmarks (read from the env files scripts/services.sh
// writes; PP_SERVICES_DIR points elsewhere when the services run from another checkout).
import { resolve } from 'node:path';
import { localDatabaseUrl, localS3Endpoint, localServicesDir } from '../../service/config/local-services';

const servicesDir = localServicesDir(resolve(__dirname, '..', '..'));

export function benchDatabaseUrl(): string {
  return localDatabaseUrl(servicesDir, 'DATABASE_URL');
}

/** Puts the local RGW's keys into this process's environment and returns its endpoint. */
export function benchS3Endpoint(): string {
  const s3 = localS3Endpoint(servicesDir);
  process.env.AWS_ACCESS_KEY_ID = s3.accessKeyId;
  process.env.AWS_SECRET_ACCESS_KEY = s3.secretAccessKey;
  process.env.AWS_REGION = s3.region;
  process.env.AWS_REQUEST_CHECKSUM_CALCULATION = 'WHEN_REQUIRED';
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  return s3.endpoint;
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
