// The port for the bucket raws arrive in (IMAGE_BUCKET): list what is there under a prefix and read
// small objects such as sidecars. S3 in a cluster and in the tests, a directory on the embedded default.

export interface RawBucket {
  /** `s3://bucket` or a directory, for messages. */
  readonly location: string;
  /** Every key under `prefix`, in key order. */
  list(prefix: string, signal?: AbortSignal): Promise<string[]>;
  /** The object's bytes, or undefined when there is none (yet). */
  read(key: string, signal?: AbortSignal): Promise<Buffer | undefined>;
}
