// Small real tasks on DataFrame-class values ({ value: number }) for engine tests: a task that reads
// a value and adds to it, one that sums two inputs, one that fails, one that aborts its own run.

import { z } from 'zod';
import {
  multipleInput,
  type TaskDeclaration,
  type TaskInputs,
  type TaskRun,
} from '../../../service/pipeline/engine/task';
import { TaskRegistry } from '../../../service/pipeline/engine/task-registry';

export interface Numeric {
  readonly value: number;
}

function numberIn(inputs: TaskInputs, connection: string): number {
  const v = inputs.get(connection) as Numeric | undefined;
  return v?.value ?? 0;
}

const addConfig = z.strictObject({ amount: z.number().default(1) });

export const addTask: TaskDeclaration<z.infer<typeof addConfig>> = {
  name: 'add',
  summary: 'output = input + amount',
  config: addConfig,
  inputs: { input: { storageClass: 'DataFrame' } },
  outputs: { output: { storageClass: 'DataFrame' } },
};

export const runAdd: TaskRun<z.infer<typeof addConfig>> = (inputs, config) => ({
  output: { value: numberIn(inputs, 'input') + config.amount },
});

export const sumTask: TaskDeclaration<Record<string, never>> = {
  name: 'sum',
  summary: 'output = left + right (+ extra when present)',
  config: z.strictObject({}),
  inputs: {
    left: { storageClass: 'DataFrame' },
    right: { storageClass: 'DataFrame' },
    extra: { storageClass: 'DataFrame', optional: true },
  },
  outputs: { output: { storageClass: 'DataFrame' } },
};

export const runSum: TaskRun<Record<string, never>> = (inputs) => ({
  output: { value: numberIn(inputs, 'left') + numberIn(inputs, 'right') + numberIn(inputs, 'extra') },
});

export const sumAllTask: TaskDeclaration<Record<string, never>> = {
  name: 'sumAll',
  summary: 'output = the sum of one input per exposure (a multiple connection)',
  config: z.strictObject({}),
  inputs: { inputs: { storageClass: 'DataFrame', multiple: true } },
  outputs: { output: { storageClass: 'DataFrame' } },
};

export const runSumAll: TaskRun<Record<string, never>> = (inputs) => ({
  output: {
    value: multipleInput(inputs, 'inputs', 'DataFrame').reduce((s, v) => s + (v as Numeric).value, 0),
  },
});

export const failTask: TaskDeclaration<Record<string, never>> = {
  name: 'fail',
  summary: 'always throws',
  config: z.strictObject({}),
  inputs: { input: { storageClass: 'DataFrame' } },
  outputs: { output: { storageClass: 'DataFrame' } },
};

/** A task whose implementation is registered later (or never). */
export const laterTask: TaskDeclaration<Record<string, never>> = {
  name: 'later',
  summary: 'declared now, implemented later',
  config: z.strictObject({}),
  inputs: { input: { storageClass: 'DataFrame' } },
  outputs: { output: { storageClass: 'DataFrame' } },
};

export interface ToyRegistry {
  readonly registry: TaskRegistry;
  /** Labels of tasks in the order they ran. */
  readonly ran: string[];
}

export function toyRegistry(): ToyRegistry {
  const registry = new TaskRegistry();
  const ran: string[] = [];
  const tracked =
    <C>(name: string, run: TaskRun<C>): TaskRun<C> =>
    (inputs, config, context) => {
      ran.push(name);
      return run(inputs, config, context);
    };
  registry.declare(addTask, tracked('add', runAdd));
  registry.declare(sumTask, tracked('sum', runSum));
  registry.declare(sumAllTask, tracked('sumAll', runSumAll));
  registry.declare(
    failTask,
    tracked('fail', () => {
      throw new Error('the detector is on fire');
    }),
  );
  registry.declare(laterTask);
  return { registry, ran };
}
