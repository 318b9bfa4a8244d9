// The port for a repository's files: an S3 bucket prefix (`s3://bucket/prefix`) or a directory.
// Paths are relative to the datastore root and use `/`; the repo layer hashes bytes on their way
// through, so adapters only move them.

import type { Readable } from 'node:stream';

export interface StoredObject {
  readonly sizeBytes: number;
}

export interface Datastore {
  /** The root URI: `s3://bucket/prefix` or an absolute directory. */
  readonly root: string;
  /** The URI a relative path resolves to. */
  uriOf(path: string): string;
  /**
   * Writes `body` at `path`, replacing what was there. A reader never sees a partial object: S3
   * PUTs are atomic and the filesystem adapter renames a finished temporary file into place.
   */
  put(path: string, body: Buffer | Readable, sizeBytes: number): Promise<void>;
  /** Streams the object; rejects with ObjectMissingError when there is none. */
  get(path: string): Promise<Readable>;
  /** Size of the object, or undefined when there is none. */
  stat(path: string): Promise<StoredObject | undefined>;
  /**
   * Makes `path` here the same file as `path` in `source`, without copying its bytes (a hard link
   * between two directory datastores on one filesystem). Resolves false when that cannot be done,
   * and the caller copies instead. Rejects with ObjectMissingError when the source has no object.
   */
  linkFrom?(source: Datastore, path: string): Promise<boolean>;
  /** Deletes the object; deleting a missing object is not an error. */
  remove(path: string): Promise<void>;
  /** Releases clients; idempotent. */
  close(): Promise<void>;
}

/** No object at a path the caller expected one. */
export class ObjectMissingError extends Error {
  override readonly name = 'ObjectMissingError';
  constructor(readonly uri: string) {
    super(`${uri} does not exist`);
  }
}
