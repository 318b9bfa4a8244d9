// Picks the datastore from a root URI: `s3://bucket/prefix` → S3 at the configured endpoint,
// anything else → a directory.

import type { Datastore } from '../ports/datastore';
import { FileDatastore } from './filesystem/file-datastore';
import { S3Datastore, type S3DatastoreOptions, s3ClientFor } from './s3/s3-datastore';

export function openDatastore(root: string, s3: S3DatastoreOptions = {}): Datastore {
  if (root.startsWith('s3://')) return new S3Datastore(root, s3ClientFor(s3), true);
  return new FileDatastore(root.replace(/^file:\/\//, ''));
}
