// Datastore in a local directory (local repos, the embedded default). Writes go to a temporary
// file beside the target and are renamed into place, so a crash never leaves half an object.

import { createReadStream } from 'node:fs';
import { link, rm, stat, writeFile } from 'node:fs/promises';
import { isAbsolute, join, resolve, sep } from 'node:path';
import type { Readable } from 'node:stream';
import { type Datastore, ObjectMissingError, type StoredObject } from '../../ports/datastore';
import { replaceFile } from './replace-file';

export class FileDatastore implements Datastore {
  readonly root: string;

  constructor(root: string) {
    this.root = resolve(root);
  }

  uriOf(path: string): string {
    return this.absolute(path);
  }

  async put(path: string, body: Buffer | Readable, _sizeBytes: number): Promise<void> {
    await replaceFile(this.absolute(path), (temporary) => writeFile(temporary, body));
  }

  async linkFrom(source: Datastore, path: string): Promise<boolean> {
    if (!(source instanceof FileDatastore)) return false;
    const from = source.absolute(path);
    try {
      await replaceFile(this.absolute(path), (temporary) => link(from, temporary));
      return true;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' && !(await source.stat(path))) throw new ObjectMissingError(from);
      // another filesystem, no hard links there, or too many links: copy instead
      if (code === 'EXDEV' || code === 'EPERM' || code === 'ENOTSUP' || code === 'EMLINK') return false;
      throw error;
    }
  }

  async get(path: string): Promise<Readable> {
    const target = this.absolute(path);
    if (!(await this.stat(path))) throw new ObjectMissingError(target);
    return createReadStream(target, { highWaterMark: 1 << 20 });
  }

  async stat(path: string): Promise<StoredObject | undefined> {
    try {
      const info = await stat(this.absolute(path));
      return info.isFile() ? { sizeBytes: info.size } : undefined;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
  }

  async remove(path: string): Promise<void> {
    await rm(this.absolute(path), { force: true });
  }

  async close(): Promise<void> {}

  private absolute(path: string): string {
    // Records come from other repos; a relative path must never climb out of the root.
    const target = resolve(this.root, path);
    if (isAbsolute(path) || !(target === this.root || target.startsWith(this.root + sep)))
      throw new RangeError(`datastore path "${path}" leaves the repo root ${this.root}`);
    return join(target);
  }
}
