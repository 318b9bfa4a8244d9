// RawBucket in a local directory: the embedded default, where a tester copies raws into a folder.
import { readdir, readFile } from 'node:fs/promises';
import { join, relative, resolve, sep } from 'node:path';
import type { RawBucket } from '../../ports/raw-bucket';

export class FileRawBucket implements RawBucket {
  readonly location: string;

  constructor(directory: string) {
    this.location = resolve(directory);
  }

  async list(prefix: string, signal?: AbortSignal): Promise<string[]> {
    signal?.throwIfAborted();
    // Only the folder the prefix names is walked, not the whole bucket.
    const folder = prefix.includes('/') ? prefix.slice(0, prefix.lastIndexOf('/')) : '';
    let entries: string[];
    try {
      entries = (await readdir(join(this.location, folder), { recursive: true })) as string[];
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
    return entries
      .map((entry) =>
        relative(this.location, join(this.location, folder, entry))
          .split(sep)
          .join('/'),
      )
      .filter((key) => key.startsWith(prefix) && !key.endsWith('/'))
      .sort();
  }

  async read(key: string, signal?: AbortSignal): Promise<Buffer | undefined> {
    const path = resolve(this.location, key);
    if (!path.startsWith(this.location + sep)) throw new RangeError(`raw key "${key}" leaves the bucket`);
    try {
      return await readFile(path, { signal });
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'EISDIR') return undefined;
      throw error;
    }
  }
}
