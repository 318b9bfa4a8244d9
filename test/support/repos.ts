// Throwaway repos for tests and benchmarks: a central one (bucket in the local Ceph RGW + schema in
// the local PostgreSQL) and a local one (temporary directory + embedded PostgreSQL), each with a
// unique name and a cleanup that removes everything it made.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateBucketCommand,
  DeleteBucketCommand,
  DeleteObjectsCommand,
  ListObjectsV2Command,
  type S3Client,
} from '@aws-sdk/client-s3';
import { Client } from 'pg';
import { Repo } from '../../service/repo/repo';
import { databaseUrl, s3Endpoint, uniqueName } from './local-services';
import { testS3 } from './s3';

export interface TestRepo {
  readonly repo: Repo;
  readonly root: string;
  cleanup(): Promise<void>;
}

/** Makes the S3 SDK in this process (and its children) use the local RGW's keys. */
export function useLocalS3Credentials(): { endpoint: string } {
  const { endpoint, accessKeyId, secretAccessKey, region } = s3Endpoint();
  process.env.AWS_ACCESS_KEY_ID = accessKeyId;
  process.env.AWS_SECRET_ACCESS_KEY = secretAccessKey;
  process.env.AWS_REGION = region;
  process.env.AWS_REQUEST_CHECKSUM_CALCULATION = 'WHEN_REQUIRED';
  return { endpoint };
}

export async function emptyBucket(s3: S3Client, bucket: string): Promise<void> {
  for (;;) {
    const listed = await s3.send(new ListObjectsV2Command({ Bucket: bucket }));
    const keys = (listed.Contents ?? []).flatMap((o) => (o.Key ? [{ Key: o.Key }] : []));
    if (keys.length === 0) return;
    await s3.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: keys } }));
  }
}

export async function listKeys(s3: S3Client, bucket: string): Promise<string[]> {
  const listed = await s3.send(new ListObjectsV2Command({ Bucket: bucket }));
  return (listed.Contents ?? []).flatMap((o) => (o.Key ? [o.Key] : [])).sort();
}

export async function dropSchema(schema: string): Promise<void> {
  const client = new Client({ connectionString: databaseUrl() });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  } finally {
    await client.end();
  }
}

export interface CentralRepoNames {
  readonly bucket: string;
  readonly namespace: string;
  readonly root: string;
}

export function centralRepoNames(prefix = 'central'): CentralRepoNames {
  const bucket = uniqueName(`it-${prefix}`).toLowerCase();
  const namespace = uniqueName(`it_${prefix}`).replace(/-/g, '_');
  return { bucket, namespace, root: `s3://${bucket}/repo` };
}

/** Bucket + schema; `create: false` leaves the repo itself to the caller (e.g. a CLI under test). */
export async function centralRepo(
  prefix = 'central',
): Promise<TestRepo & CentralRepoNames & { s3: S3Client }> {
  const names = centralRepoNames(prefix);
  const s3 = testS3();
  await s3.send(new CreateBucketCommand({ Bucket: names.bucket }));
  const { endpoint } = useLocalS3Credentials();
  const repo = await Repo.create(names.root, {
    s3: { endpoint },
    registryDb: databaseUrl(),
    namespace: names.namespace,
  });
  return {
    ...names,
    s3,
    repo,
    async cleanup() {
      await repo.close();
      await dropSchema(names.namespace);
      await emptyBucket(s3, names.bucket);
      await s3.send(new DeleteBucketCommand({ Bucket: names.bucket }));
      s3.destroy();
    },
  };
}

export async function localRepo(): Promise<TestRepo> {
  const dir = mkdtempSync(join(tmpdir(), 'pp-local-repo-'));
  const root = join(dir, 'repo');
  const repo = await Repo.create(root);
  return {
    repo,
    root,
    async cleanup() {
      await repo.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
