// Worker-thread entry for ISR's per-amp work: runs the amp assembly jobs the pool sends.

import { parentPort } from 'node:worker_threads';
import { type AmpAssemblyJob, runAmpAssemblyJob } from './amp-assembly-job';

parentPort?.on('message', (message: { id: number; job: AmpAssemblyJob }) => {
  try {
    parentPort?.postMessage({ id: message.id, amps: runAmpAssemblyJob(message.job) });
  } catch (thrown) {
    parentPort?.postMessage({
      id: message.id,
      error: thrown instanceof Error ? thrown.message : String(thrown),
    });
  }
});
