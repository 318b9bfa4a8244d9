// Small real tasks for the service's end-to-end tests (registered only in tests, named test*): an ISR
// that subtracts the bias from the raw's primary image, an APDB writer, a task needing a template,
// and one that blocks until the worker is aborted. The shipped pipelines never name them; the shipped
// combineSnaps is registered alongside, so test pipelines can sum a visit's snaps.
import { z } from 'zod';
import type { Apdb } from '../../service/apdb/apdb';
import type { Exposure } from '../../service/pipeline/engine/storage-classes';
import { requiredInput, type TaskDeclaration } from '../../service/pipeline/engine/task';
import { TaskRegistry } from '../../service/pipeline/engine/task-registry';
import { combineSnapsTask, runCombineSnaps } from '../../service/pipeline/tasks/combine-snaps';
import { makeCatalogs } from './apdb-catalogs';

const noConfig = z.strictObject({});

const testIsr: TaskDeclaration<Record<string, never>> = {
  name: 'testIsr',
  summary: 'raw primary image minus bias',
  config: noConfig,
  inputs: { ccdExposure: { storageClass: 'Raw' }, bias: { storageClass: 'Exposure' } },
  outputs: { outputExposure: { storageClass: 'Exposure' } },
};

const testAssociate: TaskDeclaration<Record<string, never>> = {
  name: 'testAssociate',
  summary: 'stores five DiaSources for the visit-detector',
  config: noConfig,
  inputs: { exposure: { storageClass: 'Exposure' } },
  outputs: { apdbMarker: { storageClass: 'ApdbMarker' } },
};

const testTemplateSubtract: TaskDeclaration<Record<string, never>> = {
  name: 'testTemplateSubtract',
  summary: 'science minus template',
  config: noConfig,
  inputs: { exposure: { storageClass: 'Exposure' }, template: { storageClass: 'Exposure' } },
  outputs: { difference: { storageClass: 'Exposure' } },
};

const testWaitForAbort: TaskDeclaration<Record<string, never>> = {
  name: 'testWaitForAbort',
  summary: 'blocks until the worker is aborted',
  config: noConfig,
  inputs: { exposure: { storageClass: 'Exposure' } },
  outputs: { exposure: { storageClass: 'Exposure' } },
};

export interface TestTaskHooks {
  /** Called when testWaitForAbort starts waiting. */
  onWaiting?: () => void;
}

export function serviceTestTasks(apdb: Apdb, hooks: TestTaskHooks = {}): TaskRegistry {
  const registry = new TaskRegistry();
  registry.declare(combineSnapsTask, runCombineSnaps);
  registry.declare(testIsr, (inputs) => {
    const raw = requiredInput(inputs, 'ccdExposure', 'Raw');
    const bias = requiredInput(inputs, 'bias', 'Exposure');
    // the raw's first pixels, minus the (small) test bias: enough to follow values through export
    const source = raw.raw.images[0]?.pixels;
    if (!source) throw new Error('the raw has no image');
    const pixels = new Float32Array(bias.width * bias.height);
    for (let i = 0; i < pixels.length; i++) pixels[i] = Number(source[i] ?? 0) - (bias.image[i] ?? 0);
    const exposure: Exposure = {
      width: bias.width,
      height: bias.height,
      image: pixels,
      variance: pixels.slice(),
      mask: new Uint16Array(pixels.length),
      metadata: raw.metadata,
    };
    return { outputExposure: exposure };
  });
  registry.declare(testAssociate, async (_inputs, _config, context) => {
    const visit = BigInt(context.dataId.visit ?? 0);
    const detector = Number(context.dataId.detector);
    await apdb.store(makeCatalogs({ visit, detector, count: 5 }));
    return { apdbMarker: { visit: Number(visit), detector } };
  });
  registry.declare(testTemplateSubtract, (inputs) => ({
    difference: requiredInput(inputs, 'exposure', 'Exposure'),
  }));
  registry.declare(testWaitForAbort, async (_inputs, _config, context) => {
    hooks.onWaiting?.();
    await new Promise<void>((_resolve, reject) => {
      if (context.signal.aborted) reject(context.signal.reason);
      context.signal.addEventListener('abort', () => reject(context.signal.reason), { once: true });
    });
    return {};
  });
  return registry;
}
