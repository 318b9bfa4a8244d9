// Simulates pool raws on worker threads, one raw per worker at a time, so a pool of several raws
// uses every core (a 4k×4k LSST raw takes seconds of CPU). The workers run this same TypeScript
// through tsx's CommonJS loader. A worker that dies fails what waits on it instead of hanging.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { PoolRaw, PoolRawOptions } from './simulate-pool-raw';

/** The worker module beside this one: TypeScript from source, JavaScript from a build. */
const WORKER_MODULE = ['.ts', '.js']
  .map((extension) => join(__dirname, `simulate-pool-raw-worker${extension}`))
  .find((path) => existsSync(path));

interface Pending {
  readonly resolve: (raw: PoolRaw) => void;
  readonly reject: (error: Error) => void;
}

export class PoolSimulators {
  private readonly workers: Worker[] = [];
  private readonly idle: Worker[] = [];
  private readonly queue: Array<() => void> = [];
  private readonly pending = new Map<number, Pending>();
  private nextId = 0;
  private closing = false;
  private broken: Error | undefined;

  constructor(size: number) {
    if (!WORKER_MODULE) throw new Error(`simulate-pool-raw-worker is missing beside ${__filename}`);
    for (let i = 0; i < Math.max(1, size); i++) {
      // The worker registers tsx's CommonJS loader itself, then loads the TypeScript worker module.
      const script = `require('tsx/cjs/api').register(); require(${JSON.stringify(WORKER_MODULE)});`;
      const worker = new Worker(script, { eval: true });
      worker.on('message', (message: { id: number; raw?: PoolRaw; error?: string }) => {
        const waiting = this.pending.get(message.id);
        this.pending.delete(message.id);
        if (message.raw) waiting?.resolve(message.raw);
        else waiting?.reject(new Error(`simulating a pool raw failed: ${message.error}`));
        this.release(worker);
      });
      worker.on('error', (error) => this.fail(error));
      worker.on('exit', (code) => {
        if (!this.closing) this.fail(new Error(`a pool simulation worker exited (code ${code})`));
      });
      this.workers.push(worker);
      this.idle.push(worker);
    }
  }

  simulate(options: PoolRawOptions): Promise<PoolRaw> {
    if (this.broken) return Promise.reject(this.broken);
    return new Promise<PoolRaw>((resolve, reject) => {
      const start = () => {
        if (this.broken) {
          reject(this.broken);
          return true;
        }
        const worker = this.idle.pop();
        if (!worker) return false;
        const id = this.nextId++;
        this.pending.set(id, { resolve, reject });
        worker.postMessage({ id, options });
        return true;
      };
      if (!start()) this.queue.push(() => void start());
    });
  }

  private release(worker: Worker): void {
    this.idle.push(worker);
    this.queue.shift()?.();
  }

  /** A worker died: everything waiting or queued fails with the reason, and so does every later call. */
  private fail(error: Error): void {
    this.broken ??= error;
    for (const waiting of this.pending.values()) waiting.reject(error);
    this.pending.clear();
    for (const queued of this.queue.splice(0)) queued();
  }

  async close(): Promise<void> {
    this.closing = true;
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}
