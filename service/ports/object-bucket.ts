// The port for a bucket the tester writes to and reads from (the raw bucket, the users bucket): put,
// get, list, and claim — a create that succeeds for exactly one writer, used to hand out ids no other
// run can also get. S3 in a cluster and against the local services; a directory on the embedded loop.

export interface ObjectBucket {
  /** `s3://bucket` or a directory, for messages. */
  readonly location: string;
  /** Fails with BucketMissingError (saying how to fix it) when the bucket is not there. */
  check(): Promise<void>;
  put(key: string, body: Uint8Array | string, contentType?: string): Promise<void>;
  /** True when this call created the object; false when it existed already. */
  claim(key: string, body: string): Promise<boolean>;
  /** The object's bytes, or undefined when there is none. */
  get(key: string): Promise<Uint8Array | undefined>;
  /** Every key under `prefix`, in key order. */
  list(prefix: string): Promise<string[]>;
}

export class BucketMissingError extends Error {
  override readonly name = 'BucketMissingError';
}
