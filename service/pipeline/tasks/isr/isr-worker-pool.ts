// An optional worker-thread wrapper around ISR's per-amp work (overscan + assembly): amps are dealt
// round-robin to the workers, which write into shared detector buffers. The rest of ISR stays on the
// calling thread. Whether it pays depends on the cores free: bench:isr measures both.

import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { RawDetector, RawImage, RawPixels } from '../../../domain/camera-geometry/raw-detector';
import type { AmpAssemblyJob } from './amp-assembly-job';
import { type AssembledAmps, checkCalibrations, finishIsr, type IsrInputs } from './isr';
import { DEFAULT_ISR_CONFIG, type IsrConfig } from './isr-config';
import type { AmpIsrStatistics, IsrResult } from './post-isr-exposure';

type Reply = { id: number; amps: AmpIsrStatistics[] } | { id: number; error: string };

export class IsrWorkerError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'IsrWorkerError';
  }
}

export class IsrWorkerPool {
  private readonly workers: Worker[];
  private nextId = 0;
  private readonly pending = new Map<
    number,
    { resolve: (amps: AmpIsrStatistics[]) => void; reject: (e: Error) => void }
  >();

  constructor(size: number) {
    if (!Number.isInteger(size) || size < 1)
      throw new IsrWorkerError(`worker count ${size} must be a positive integer`);
    this.workers = Array.from({ length: size }, () => this.spawn());
  }

  get size(): number {
    return this.workers.length;
  }

  /** ISR with the per-amp part spread over the workers; the same result as runIsr. */
  async runIsr(inputs: IsrInputs, config: IsrConfig = DEFAULT_ISR_CONFIG): Promise<IsrResult> {
    checkCalibrations(inputs);
    const assembled = await this.assembleWithOverscan(inputs.raw, config);
    return finishIsr(inputs, assembled, config);
  }

  async assembleWithOverscan(
    raw: RawDetector,
    config: IsrConfig = DEFAULT_ISR_CONFIG,
  ): Promise<AssembledAmps> {
    const { geometry } = raw;
    const count = geometry.width * geometry.height;
    const image = new Float32Array(new SharedArrayBuffer(count * 4));
    const mask = new Uint16Array(new SharedArrayBuffer(count * 2));
    const images = raw.images.map(shared);
    const jobs = this.workers.map((_, w) =>
      geometry.amps.map((_, i) => i).filter((i) => i % this.workers.length === w),
    );
    const results = await Promise.all(
      jobs.map((ampIndices, w) => this.send(w, { geometry, config, ampIndices, images, image, mask })),
    );
    const byAmp = new Map<string, AmpIsrStatistics>();
    for (const stats of results.flat()) byAmp.set(stats.amp, stats);
    const amps = geometry.amps.map((amp) => {
      const stats = byAmp.get(amp.name);
      if (stats === undefined) throw new IsrWorkerError(`no worker reported amp ${amp.name}`);
      return stats;
    });
    return { image, mask, amps };
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((worker) => worker.terminate()));
  }

  private send(worker: number, job: AmpAssemblyJob): Promise<AmpIsrStatistics[]> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.workers[worker]?.postMessage({ id, job });
    });
  }

  private spawn(): Worker {
    // Under tsx (tests, benches, `npm start`) the worker is the .ts file and needs tsx's loader too.
    const typescript = __filename.endsWith('.ts');
    const entry = path.join(__dirname, typescript ? 'isr-worker.ts' : 'isr-worker.js');
    const worker = new Worker(
      entry,
      typescript ? { execArgv: ['--require', require.resolve('tsx/cjs')] } : {},
    );
    worker.on('message', (reply: Reply) => {
      const waiting = this.pending.get(reply.id);
      if (!waiting) return;
      this.pending.delete(reply.id);
      if ('error' in reply) waiting.reject(new IsrWorkerError(`ISR worker failed: ${reply.error}`));
      else waiting.resolve(reply.amps);
    });
    worker.on('error', (error) => {
      for (const [id, waiting] of this.pending) {
        this.pending.delete(id);
        waiting.reject(new IsrWorkerError(`ISR worker died: ${error.message}`));
      }
    });
    return worker;
  }
}

/** The raw image over shared memory: as it is when already shared, else copied once. */
function shared(image: RawImage): RawImage {
  if (image.pixels.buffer instanceof SharedArrayBuffer) return image;
  const Type = image.pixels.constructor as new (buffer: SharedArrayBuffer) => RawPixels;
  const pixels = new Type(new SharedArrayBuffer(image.pixels.byteLength));
  (pixels as unknown as { set(source: ArrayLike<number>): void }).set(image.pixels);
  return { ...image, pixels };
}
