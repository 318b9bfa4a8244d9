// A developer's isolated environment, derived from shared dev: own namespaces, Kafka topics and users
// with a `dev-<name>-` prefix, own APDB schemas, own buckets (claimed through Rook), the developer's
// image tag, scale-to-zero, and a quota. It talks to the shared Kafka cluster and Postgres server, but
// through names no other environment uses.

import { bucketNames } from '../../service/domain/buckets';
import type { Environment, ServiceTuning } from './environment';
import { USDF_DEV } from './usdf-dev';

export const DEVELOPER_NAME_PATTERN = /^[a-z]([a-z0-9-]{0,18}[a-z0-9])?$/;
const MAX_DEVELOPER_NAME_LENGTH = 20;

export interface DeveloperOptions {
  /** Image tag to deploy (a branch build such as `DM-12345-latest`). @default 'latest' */
  readonly imageTag?: string;
  /** The services' `revision` annotation; change it to roll out a re-pushed tag. @default - shared dev's */
  readonly revision?: string;
}

/** Throws unless `name` can prefix Kubernetes names, topics, buckets and schemas. */
export function validateDeveloperName(name: string): void {
  if (!DEVELOPER_NAME_PATTERN.test(name) || name.includes('--')) {
    throw new Error(
      `invalid developer name "${name}": use 1-${MAX_DEVELOPER_NAME_LENGTH} lower-case letters, digits and ` +
        `single hyphens, starting with a letter and not ending with a hyphen (e.g. "jdoe")`,
    );
  }
}

export function developerEnvironment(name: string, options: DeveloperOptions = {}): Environment {
  validateDeveloperName(name);
  const prefix = `dev-${name}-`;
  const scaleToZero: Partial<ServiceTuning> = {
    minScale: 0,
    maxScale: 5,
    ...(options.revision === undefined ? {} : { revision: options.revision }),
  };
  const shared = USDF_DEV;
  return {
    ...shared,
    name: `dev-${name}`,
    distPath: `developers/${name}`,
    developer: name,
    resourcePrefix: prefix,
    namespaceOf: (instrument) => `${prefix}${instrument.slug}`,
    apdbSchemaOf: (instrument) => `pp_apdb_${instrument.slug}_dev_${name.replaceAll('-', '_')}`,
    image: { ...shared.image, tag: options.imageTag ?? shared.image.tag, pullPolicy: 'Always' },
    objectStore: {
      ...shared.objectStore,
      // RGW pushing straight to Kafka would need the developer's Kafka credentials in the store; the
      // bridge keeps them in the developer's namespace, where the developer can also watch delivery.
      notificationDelivery: 'http-bridge',
      bucketStorageClass: 'rook-ceph-bucket',
      bucketBase: `${prefix}pp`,
      bucketsPerInstrument: true,
    },
    centralRepoPath: 'central_repo',
    // Calibs, templates and refcats still come from the shared dev repo, which is only read.
    readCentralRepo: `s3://${bucketNames(shared.objectStore.bucketBase).users}/${shared.centralRepoPath}`,
    argo: undefined,
    quota: { cpu: '16', memory: '64Gi', ephemeralStorage: '100Gi', pods: 20 },
    suspendInitializerCron: true,
    serviceByInstrument: Object.fromEntries(
      shared.instruments.map((instrument) => [
        instrument,
        { ...shared.serviceByInstrument[instrument], ...scaleToZero },
      ]),
    ),
  };
}
