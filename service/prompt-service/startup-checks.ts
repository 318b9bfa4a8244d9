// Start-up checks of the prompt service (upstream run_init_checks): Kafka, the raw bucket, the
// central repo (opened with the dimensions-config check), the local repo directory and the APDB must
// all be usable before the first request, else the process exits 3 with the reason. Each check names
// the setting to fix.

import { randomUUID } from 'node:crypto';
import { mkdir, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { HeadBucketCommand, type S3Client } from '@aws-sdk/client-s3';
import { Apdb } from '../apdb/apdb';
import { apdbLocation } from '../domain/apdb/apdb-location';
import { Repo } from '../repo/repo';

/** A backend the service needs is unusable; the process exits 3. */
export class StartupCheckError extends Error {
  override readonly name = 'StartupCheckError';
}

async function check<T>(what: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw new StartupCheckError(`start-up check failed: ${what}: ${(error as Error).message}`, {
      cause: error,
    });
  }
}

export function checkKafka<T>(bootstrap: string, start: () => Promise<T>): Promise<T> {
  return check(`cannot subscribe to bucket notifications on Kafka at ${bootstrap} (KAFKA_CLUSTER)`, start);
}

export async function checkRawBucket(bucket: string, s3?: S3Client): Promise<void> {
  await check(`raw bucket ${bucket} is not reachable (IMAGE_BUCKET, S3_ENDPOINT_URL)`, async () => {
    if (s3) await s3.send(new HeadBucketCommand({ Bucket: bucket }));
    else if (!(await stat(bucket)).isDirectory()) throw new Error('not a directory');
  });
}

export function openCentralRepo(root: string, endpoint: string | undefined): Promise<Repo> {
  return check(`central repo ${root} is unusable (CENTRAL_REPO)`, () =>
    Repo.openCompatible(root, { s3: endpoint ? { endpoint } : {} }),
  );
}

export async function checkLocalRepos(directory: string): Promise<void> {
  await check(`local repo directory ${directory} is not writable (LOCAL_REPOS)`, async () => {
    await mkdir(directory, { recursive: true });
    const probe = join(directory, `.probe-${randomUUID()}`);
    await writeFile(probe, 'ok');
    await rm(probe);
  });
}

/** CONFIG_APDB, or an embedded APDB under LOCAL_REPOS when unset (the no-services default). */
export function openApdb(configApdb: string | undefined, localReposDir: string): Promise<Apdb> {
  return check(`APDB ${configApdb ?? '(embedded)'} is not ready (CONFIG_APDB)`, async () => {
    if (!configApdb) {
      const apdb = await Apdb.open({ dbUrl: join(localReposDir, 'apdb'), namespace: 'apdb' });
      await apdb.create();
      return apdb;
    }
    const apdb = await Apdb.open(apdbLocation(configApdb));
    try {
      await apdb.checkReady();
    } catch (error) {
      await apdb.close();
      throw error;
    }
    return apdb;
  });
}
