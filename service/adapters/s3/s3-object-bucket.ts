// A bucket the tester writes to and reads from (the raw bucket, the users bucket): put, get, list,
// and claim — a create that succeeds for exactly one writer (PutObject with If-None-Match: *, which
// Ceph RGW and AWS S3 both honour), used to hand out ids no other run anywhere can also get.
import {
  GetObjectCommand,
  HeadBucketCommand,
  ListObjectsV2Command,
  NoSuchKey,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { BucketMissingError, type ObjectBucket } from '../../ports/object-bucket';

export { BucketMissingError };

function isMissingBucket(error: unknown): boolean {
  const name = (error as { name?: string }).name;
  return name === 'NoSuchBucket' || name === 'NotFound';
}

export class S3ObjectBucket implements ObjectBucket {
  readonly location: string;

  constructor(
    readonly client: S3Client,
    readonly bucket: string,
  ) {
    this.location = `s3://${bucket}`;
  }

  async check(): Promise<void> {
    try {
      await this.client.send(new HeadBucketCommand({ Bucket: this.bucket }));
    } catch (error) {
      if (
        isMissingBucket(error) ||
        (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 404
      )
        throw new BucketMissingError(
          `bucket ${this.bucket} does not exist: create it or pass the right bucket`,
        );
      throw error;
    }
  }

  async put(key: string, body: Uint8Array | string, contentType?: string): Promise<void> {
    try {
      await this.client.send(
        new PutObjectCommand({
          Bucket: this.bucket,
          Key: key,
          Body: body,
          ...(contentType ? { ContentType: contentType } : {}),
        }),
      );
    } catch (error) {
      if (isMissingBucket(error))
        throw new BucketMissingError(
          `bucket ${this.bucket} does not exist (writing ${key}): create it first`,
        );
      throw error;
    }
  }

  async claim(key: string, body: string): Promise<boolean> {
    try {
      await this.client.send(
        new PutObjectCommand({ Bucket: this.bucket, Key: key, Body: body, IfNoneMatch: '*' }),
      );
      return true;
    } catch (error) {
      const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
      // 412: someone holds it; 409: a concurrent conditional write is in flight (AWS).
      if (status === 412 || status === 409) return false;
      if (isMissingBucket(error))
        throw new BucketMissingError(
          `bucket ${this.bucket} does not exist (claiming ${key}): create it first`,
        );
      throw error;
    }
  }

  async get(key: string): Promise<Uint8Array | undefined> {
    try {
      const object = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
      return (await object.Body?.transformToByteArray()) ?? new Uint8Array();
    } catch (error) {
      if (error instanceof NoSuchKey || (error as { name?: string }).name === 'NoSuchKey') return undefined;
      if (isMissingBucket(error))
        throw new BucketMissingError(`bucket ${this.bucket} does not exist (reading ${key})`);
      throw error;
    }
  }

  async list(prefix: string): Promise<string[]> {
    const keys: string[] = [];
    let token: string | undefined;
    do {
      const page = await this.client.send(
        new ListObjectsV2Command({ Bucket: this.bucket, Prefix: prefix, ContinuationToken: token }),
      );
      for (const object of page.Contents ?? []) if (object.Key) keys.push(object.Key);
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    return keys;
  }
}
