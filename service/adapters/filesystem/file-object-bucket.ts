// ObjectBucket in a local directory (the embedded loop's raw and users buckets). Writes land in a
// temporary file renamed into place, so a reader never sees half an object; claim uses an exclusive
// create, which the filesystem grants to exactly one writer.
import { mkdir, open, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { BucketMissingError, type ObjectBucket } from '../../ports/object-bucket';
import { replaceFile } from './replace-file';

export class FileObjectBucket implements ObjectBucket {
  readonly location: string;

  constructor(directory: string) {
    this.location = resolve(directory);
  }

  /** The bucket's folder, created if missing (an embedded bucket exists once it is configured). */
  async create(): Promise<this> {
    await mkdir(this.location, { recursive: true });
    return this;
  }

  async check(): Promise<void> {
    const found = await stat(this.location).catch(() => undefined);
    if (!found?.isDirectory())
      throw new BucketMissingError(`bucket folder ${this.location} does not exist: create it first`);
  }

  /** The absolute path of a key; keys may not leave the bucket. */
  pathOf(key: string): string {
    const path = resolve(this.location, key);
    if (!path.startsWith(this.location + sep)) throw new RangeError(`key "${key}" leaves the bucket`);
    return path;
  }

  async put(key: string, body: Uint8Array | string): Promise<void> {
    await this.check();
    await replaceFile(this.pathOf(key), (temporary) => writeFile(temporary, body));
  }

  async claim(key: string, body: string): Promise<boolean> {
    await this.check();
    const path = this.pathOf(key);
    await mkdir(dirname(path), { recursive: true });
    let handle: Awaited<ReturnType<typeof open>>;
    try {
      handle = await open(path, 'wx');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
      throw error;
    }
    try {
      await handle.writeFile(body);
    } finally {
      await handle.close();
    }
    return true;
  }

  async get(key: string): Promise<Uint8Array | undefined> {
    try {
      return await readFile(this.pathOf(key));
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'EISDIR') return undefined;
      throw error;
    }
  }

  async list(prefix: string): Promise<string[]> {
    const folder = prefix.includes('/') ? prefix.slice(0, prefix.lastIndexOf('/')) : '';
    let entries: string[];
    try {
      entries = (await readdir(join(this.location, folder), { recursive: true })) as string[];
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
    const keys: string[] = [];
    for (const entry of entries) {
      const key = relative(this.location, join(this.location, folder, entry))
        .split(sep)
        .join('/');
      if (!key.startsWith(prefix) || key.endsWith('.partial')) continue;
      if ((await stat(join(this.location, key))).isFile()) keys.push(key);
    }
    return keys.sort();
  }
}
