// Datastore under an S3 prefix (`s3://bucket/prefix`), the central repo's file store. The endpoint
// comes from configuration (S3_ENDPOINT_URL); credentials from the SDK's usual chain (AWS_* env).

import { Readable } from 'node:stream';
import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  NoSuchKey,
  NotFound,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { type Datastore, ObjectMissingError, type StoredObject } from '../../ports/datastore';

export interface S3Location {
  readonly bucket: string;
  /** Key prefix without leading or trailing `/` ('' for the bucket root). */
  readonly prefix: string;
}

export function parseS3Uri(uri: string): S3Location {
  const match = /^s3:\/\/([^/]+)\/?(.*)$/.exec(uri);
  if (!match?.[1]) throw new RangeError(`"${uri}" is not an s3://bucket/prefix URI`);
  return { bucket: match[1], prefix: (match[2] ?? '').replace(/^\/+|\/+$/g, '') };
}

export interface S3DatastoreOptions {
  /** S3_ENDPOINT_URL; undefined means AWS's own endpoint. */
  readonly endpoint?: string;
  readonly region?: string;
  /**
   * Ceph RGW rejects the flexible checksums (and aws-chunked streaming) newer SDKs send by default.
   * @default 'WHEN_REQUIRED'
   */
  readonly requestChecksumCalculation?: 'WHEN_SUPPORTED' | 'WHEN_REQUIRED';
}

export function s3ClientFor(options: S3DatastoreOptions): S3Client {
  return new S3Client({
    ...(options.endpoint ? { endpoint: options.endpoint } : {}),
    region: options.region ?? process.env.AWS_REGION ?? 'us-east-1',
    // Ceph RGW is addressed path-style; AWS accepts both.
    forcePathStyle: true,
    requestChecksumCalculation: options.requestChecksumCalculation ?? 'WHEN_REQUIRED',
    maxAttempts: 3,
  });
}

function isMissing(error: unknown): boolean {
  return (
    error instanceof NoSuchKey ||
    error instanceof NotFound ||
    (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 404
  );
}

export class S3Datastore implements Datastore {
  readonly root: string;
  private readonly location: S3Location;

  constructor(
    root: string,
    private readonly client: S3Client,
    private readonly ownsClient = false,
  ) {
    this.location = parseS3Uri(root);
    this.root = `s3://${this.location.bucket}${this.location.prefix ? `/${this.location.prefix}` : ''}`;
  }

  uriOf(path: string): string {
    return `s3://${this.location.bucket}/${this.key(path)}`;
  }

  async put(path: string, body: Buffer | Readable, sizeBytes: number): Promise<void> {
    await this.client.send(
      new PutObjectCommand({
        Bucket: this.location.bucket,
        Key: this.key(path),
        Body: body,
        ContentLength: sizeBytes,
      }),
    );
  }

  async get(path: string): Promise<Readable> {
    try {
      const answer = await this.client.send(
        new GetObjectCommand({ Bucket: this.location.bucket, Key: this.key(path) }),
      );
      if (!(answer.Body instanceof Readable)) throw new Error(`${this.uriOf(path)}: S3 returned no body`);
      return answer.Body;
    } catch (error) {
      if (isMissing(error)) throw new ObjectMissingError(this.uriOf(path));
      throw error;
    }
  }

  async stat(path: string): Promise<StoredObject | undefined> {
    try {
      const head = await this.client.send(
        new HeadObjectCommand({ Bucket: this.location.bucket, Key: this.key(path) }),
      );
      return { sizeBytes: head.ContentLength ?? 0 };
    } catch (error) {
      if (isMissing(error)) return undefined;
      throw error;
    }
  }

  async remove(path: string): Promise<void> {
    await this.client.send(new DeleteObjectCommand({ Bucket: this.location.bucket, Key: this.key(path) }));
  }

  async close(): Promise<void> {
    if (this.ownsClient) this.client.destroy();
  }

  private key(path: string): string {
    if (path.startsWith('/') || path.split('/').includes('..'))
      throw new RangeError(`datastore path "${path}" leaves the repo root ${this.root}`);
    return this.location.prefix ? `${this.location.prefix}/${path}` : path;
  }
}
