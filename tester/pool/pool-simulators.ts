// Simulates pool raws on worker threads, one raw per worker at a time, so a pool of several raws
// uses every core (a 4k×4k LSST raw takes seconds of CPU). The workers run this same TypeScript
// through the loader the process was started with (tsx).
import { Worker } from 'node:worker_threads';
import type { PoolRaw, PoolRawOptions } from './simulate-pool-raw';

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

  constructor(size: number) {
    for (let i = 0; i < Math.max(1, size); i++) {
      const worker = new Worker(require.resolve('./simulate-pool-raw-worker'), {
        execArgv: process.execArgv,
      });
      worker.on('message', (message: { id: number; raw?: PoolRaw; error?: string }) => {
        const waiting = this.pending.get(message.id);
        this.pending.delete(message.id);
        if (message.raw) waiting?.resolve(message.raw);
        else waiting?.reject(new Error(`simulating a pool raw failed: ${message.error}`));
        this.release(worker);
      });
      worker.on('error', (error) => {
        for (const waiting of this.pending.values()) waiting.reject(error);
        this.pending.clear();
      });
      worker.unref();
      this.workers.push(worker);
      this.idle.push(worker);
    }
  }

  simulate(options: PoolRawOptions): Promise<PoolRaw> {
    return new Promise<PoolRaw>((resolve, reject) => {
      const start = () => {
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

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}
