// The prompt service's configuration: every environment variable it reads, with its upstream name,
// default and a one-line doc. The service parses its environment with `serviceConfigSchema` at start;
// the cdk8s app renders container env from `SERVICE_CONFIG_ENTRIES`, so a name infra emits that is not
// listed here (or a required one it misses) is caught before it reaches a cluster.

import { z } from 'zod';
import { INSTRUMENT_NAMES } from '../domain/instruments';
import { ConfigError, describeIssues } from './config-error';
import { entriesOf, optional, required, type SettingEntry, withDefault } from './settings';

const seconds = z.coerce.number().nonnegative();
const count = z.coerce.number().int().nonnegative();
const flag = z.enum(['0', '1']).transform((v) => v === '1');

export const serviceConfigSchema = z.object({
  // Instrument and worker
  RUBIN_INSTRUMENT: required(z.enum(INSTRUMENT_NAMES), 'Instrument this service processes (Butler name).'),
  SKYMAP: required(z.string().min(1), 'Skymap for templates (latiss_v1, lsst_cells_v1, hsc_rings_v1).'),
  WORKER_TIMEOUT: required(
    z.coerce.number().int().positive(),
    'Seconds one next_visit may take before the worker is interrupted.',
  ),
  WORKER_COUNT: withDefault(count.min(1), '1', 'Requests processed at once; equals containerConcurrency.'),
  WORKER_RESTART_FREQ: withDefault(count, '0', 'Restart a worker after this many requests (0 = never).'),
  WORKER_GRACE_PERIOD: withDefault(seconds, '30', 'Seconds a worker gets to finish after SIGTERM.'),
  PLATFORM: withDefault(z.enum(['knative', 'keda']), 'knative', 'How requests reach the service.'),

  // Repositories and images
  CENTRAL_REPO: required(z.string().min(1), 'URI of the central Butler repo that outputs are exported to.'),
  READ_CENTRAL_REPO: optional(
    z.string().min(1),
    'URI the service reads calibs from; defaults to CENTRAL_REPO.',
  ),
  S3_ENDPOINT_URL: optional(z.url(), 'S3 endpoint for s3:// URIs; unset means the default AWS endpoint.'),
  IMAGE_BUCKET: required(z.string().min(1), 'Bucket (or directory) raws arrive in.'),
  RAW_MICROSERVICE: withDefault(
    z.string(),
    '',
    'URL of the "already arrived?" raw lookup service; empty = S3 listing.',
  ),
  IMAGE_TIMEOUT: withDefault(seconds, '20', 'Seconds to wait for raws beyond twice the visit duration.'),
  LOCAL_REPOS: withDefault(z.string().min(1), '/tmp', 'Directory holding per-visit local Butler repos.'),
  LOCAL_REPO_CACHE_SIZE: withDefault(count.min(1), '3', 'Datasets kept per calib type in the local repo.'),
  REFCATS_PER_IMAGE: withDefault(count.min(1), '4', 'Expected refcat shards per image (cache sizing).'),
  PATCHES_PER_IMAGE: withDefault(count.min(1), '4', 'Expected template patches per image (cache sizing).'),
  PRELOAD_PADDING: withDefault(
    seconds,
    '30',
    'Arcseconds of padding around the detector region when preloading.',
  ),
  REPO_RETRY_DELAY: withDefault(seconds, '30', 'Seconds between retries of central repo operations.'),

  // Messages and notifications
  KAFKA_CLUSTER: optional(z.string().min(1), 'Kafka bootstrap servers; unset selects the in-process bus.'),
  BUCKET_TOPIC: withDefault(
    z.string().min(1),
    'rubin-prompt-processing',
    'Kafka topic carrying S3 notifications for raws.',
  ),
  BUCKET_NOTIFICATION_KAFKA_OFFSET_RESET: withDefault(
    z.enum(['earliest', 'latest']),
    'latest',
    'Where a new bucket-notification consumer starts.',
  ),
  MESSAGE_EXPIRATION: withDefault(seconds, '3600', 'Seconds after which a next_visit is stale (403).'),

  // Pipelines and outputs
  MAIN_PIPELINES_CONFIG: required(
    z.string().min(1),
    'YAML list choosing main pipelines by survey and position.',
  ),
  PREPROCESSING_PIPELINES_CONFIG: required(z.string().min(1), 'YAML list choosing preprocessing pipelines.'),
  CONFIG_APDB: optional(z.string().min(1), 'APDB location; unset selects the embedded database.'),
  EXPORT_TYPE_REGEXP: withDefault(z.string(), '- .*', 'YAML list of dataset-type regexes to export.'),
  DEBUG_EXPORT_OUTPUTS: withDefault(flag, '1', 'Export outputs to the central repo (0 = keep local only).'),

  // Alerts
  AP_KAFKA_SERVER: optional(z.string().min(1), 'Kafka bootstrap servers alerts are produced to.'),
  AP_KAFKA_TOPIC: optional(z.string().min(1), 'Topic alerts are produced to.'),
  AP_KAFKA_PRODUCER_USERNAME: optional(z.string().min(1), 'SCRAM user producing alerts.'),
  AP_KAFKA_PRODUCER_PASSWORD: optional(z.string().min(1), 'Password of the alert producer.', {
    secret: true,
  }),

  // Object store and database credentials
  AWS_ACCESS_KEY_ID: optional(z.string().min(1), 'S3 access key.', { secret: true }),
  AWS_SECRET_ACCESS_KEY: optional(z.string().min(1), 'S3 secret key.', { secret: true }),
  AWS_SHARED_CREDENTIALS_FILE: optional(z.string().min(1), 'S3 credentials file (instead of the keys).'),
  AWS_PROFILE: optional(z.string().min(1), 'Profile in the S3 credentials file.'),
  AWS_REQUEST_CHECKSUM_CALCULATION: optional(
    z.enum(['WHEN_SUPPORTED', 'WHEN_REQUIRED']),
    'Ceph RGW rejects the newer default checksums; WHEN_REQUIRED avoids them.',
  ),
  PGPASSWORD: optional(z.string().min(1), 'Password for postgresql:// URLs that carry none.', {
    secret: true,
  }),

  // Observability
  SERVICE_LOG_LEVELS: withDefault(z.string(), '', 'Space-separated logger=LEVEL pairs ("." is the root).'),
  SASQUATCH_URL: withDefault(z.string(), '', 'Metrics endpoint; empty disables metrics upload.'),
  SASQUATCH_TOKEN: optional(z.string().min(1), 'Token for SASQUATCH_URL.', { secret: true }),
  DAF_BUTLER_SASQUATCH_NAMESPACE: withDefault(z.string().min(1), 'lsst.prompt', 'Metrics namespace.'),
  MP_SKY_URL: optional(z.url(), 'Solar-system ephemeris service.'),

  // Where the service finds its files, and what it reports on /version
  PROMPT_PROCESSING_DIR: optional(
    z.string().min(1),
    'Directory holding pipelines/ (expanded in the pipelines configs); defaults to the package root.',
  ),
  SERVICE_HOST: withDefault(z.string().min(1), '0.0.0.0', 'Address the HTTP server listens on.'),
  GIT_COMMIT: optional(z.string().min(1), 'Commit the image was built from; read from .git when unset.'),
  IMAGE_DIGEST: optional(z.string().min(1), 'Digest of the running image, reported on /version.'),

  // Set by Knative, never by the deployment
  PORT: optional(z.coerce.number().int().positive(), 'Port to listen on.', { source: 'platform' }),
  K_REVISION: optional(z.string().min(1), 'Knative revision name (part of output run names).', {
    source: 'platform',
  }),
});

export type ServiceConfig = z.output<typeof serviceConfigSchema>;
export type ServiceSettingName = keyof typeof serviceConfigSchema.shape;
export type ServiceConfigEntry = SettingEntry<ServiceSettingName>;

export const SERVICE_CONFIG_ENTRIES: readonly ServiceConfigEntry[] = entriesOf(serviceConfigSchema);

/** Parses the service's environment; a missing or invalid setting is one ConfigError line. */
export function parseServiceConfig(env: Readonly<Record<string, string | undefined>>): ServiceConfig {
  const result = serviceConfigSchema.safeParse(env);
  if (!result.success) throw new ConfigError(`invalid configuration: ${describeIssues(result.error)}`);
  const config = result.data;
  if (config.AP_KAFKA_PRODUCER_USERNAME && !config.AP_KAFKA_PRODUCER_PASSWORD)
    throw new ConfigError(
      'invalid configuration: AP_KAFKA_PRODUCER_PASSWORD is required when AP_KAFKA_PRODUCER_USERNAME is set',
    );
  return config;
}
