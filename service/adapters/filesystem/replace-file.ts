// Puts a file in place all at once: `make` writes a temporary file beside the target (in its
// folder, created when missing), which is then renamed over the target, so a reader or a crash never
// sees half a file. The temporary file is removed again when anything fails.
import { randomUUID } from 'node:crypto';
import { mkdir, rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';

export async function replaceFile(target: string, make: (temporary: string) => Promise<void>): Promise<void> {
  await mkdir(dirname(target), { recursive: true });
  const temporary = `${target}.${randomUUID()}.partial`;
  try {
    await make(temporary);
    await rename(temporary, target);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}
