// Credentials that upstream's chart mounted as files from the service Secret rather than passing as
// env: an AWS shared-credentials file (s3.cred_file_auth) and a Butler config redirecting to the
// central repo (registry.centralRepoFile). Both are optional; each yields a volume, its mount and
// the env that points the process at it.

import type { SecretKey } from './container-env';

/** Where upstream mounted the S3 credentials file; AWS_SHARED_CREDENTIALS_FILE points here. */
export const S3_CREDENTIALS_DIR = '/app/s3';
export const S3_CREDENTIALS_FILE = `${S3_CREDENTIALS_DIR}/credentials`;
/** Default directory holding the central repo's butler.yaml; CENTRAL_REPO then names the directory. */
export const DEFAULT_CENTRAL_REPO_FILE_DIR = '/app/central-repo';
/**
 * 0444: kubelet writes Secret files owned by root and our process runs as another user, so owner-only
 * modes would lock it out (upstream needed a root initContainer to chown its db-auth file). Only this
 * container mounts the volume, so "others" means nobody outside the pod.
 */
const READ_ONLY = 0o444;

export interface SecretFileOptions {
  /** Key of an AWS shared-credentials file. @default - none */
  readonly s3CredentialsFile?: SecretKey;
  /** Key of a Butler config (butler.yaml) for the central repo. @default - none */
  readonly centralRepoFile?: SecretKey;
  /** Directory the Butler config is mounted in. @default DEFAULT_CENTRAL_REPO_FILE_DIR */
  readonly centralRepoFileDir?: string;
}

export interface SecretFileVolume {
  readonly name: string;
  readonly secret: {
    readonly secretName: string;
    readonly defaultMode: number;
    readonly items: { readonly key: string; readonly path: string }[];
  };
}

export interface SecretFileMount {
  readonly name: string;
  readonly mountPath: string;
  readonly readOnly: true;
}

export interface SecretFiles {
  readonly volumes: SecretFileVolume[];
  readonly volumeMounts: SecretFileMount[];
  /** AWS_SHARED_CREDENTIALS_FILE when the S3 file is mounted. */
  readonly env: { AWS_SHARED_CREDENTIALS_FILE?: string };
  /** The directory CENTRAL_REPO must name when the Butler config is mounted. */
  readonly centralRepoDir?: string;
}

function fileVolume(name: string, source: SecretKey, path: string): SecretFileVolume {
  return {
    name,
    secret: { secretName: source.secretName, defaultMode: READ_ONLY, items: [{ key: source.key, path }] },
  };
}

export function secretFiles(options: SecretFileOptions): SecretFiles {
  const volumes: SecretFileVolume[] = [];
  const volumeMounts: SecretFileMount[] = [];
  const env: SecretFiles['env'] = {};
  if (options.s3CredentialsFile) {
    volumes.push(fileVolume('s3-credentials-file', options.s3CredentialsFile, 'credentials'));
    volumeMounts.push({ name: 's3-credentials-file', mountPath: S3_CREDENTIALS_DIR, readOnly: true });
    env.AWS_SHARED_CREDENTIALS_FILE = S3_CREDENTIALS_FILE;
  }
  if (!options.centralRepoFile) return { volumes, volumeMounts, env };
  const centralRepoDir = options.centralRepoFileDir ?? DEFAULT_CENTRAL_REPO_FILE_DIR;
  if (!centralRepoDir.startsWith('/')) {
    throw new Error(
      `central repo file directory "${centralRepoDir}" must be an absolute path (e.g. ${DEFAULT_CENTRAL_REPO_FILE_DIR})`,
    );
  }
  volumes.push(fileVolume('central-repo-file', options.centralRepoFile, 'butler.yaml'));
  volumeMounts.push({ name: 'central-repo-file', mountPath: centralRepoDir, readOnly: true });
  return { volumes, volumeMounts, env, centralRepoDir };
}
