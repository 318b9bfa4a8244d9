// Worker-thread side of PoolSimulators: simulates the raws it is sent and posts them back, the bytes
// transferred rather than copied.
import { parentPort } from 'node:worker_threads';
import { type PoolRawOptions, simulatePoolRaw } from './simulate-pool-raw';

parentPort?.on('message', (message: { id: number; options: PoolRawOptions }) => {
  try {
    const raw = simulatePoolRaw(message.options);
    parentPort?.postMessage({ id: message.id, raw }, [raw.bytes.buffer as ArrayBuffer]);
  } catch (error) {
    parentPort?.postMessage({
      id: message.id,
      error: error instanceof Error ? error.message : String(error),
    });
  }
});
