// Task names → declarations and implementations. Declarations and implementations may arrive at
// different times (ISR is declared here and implemented elsewhere; differencing comes in a later
// issue), so the registry accepts both late; graphs are built from declarations, and the engine
// refuses to execute a task that has no implementation.

import type { z } from 'zod';
import type { ConnectionSpec, TaskContext, TaskDeclaration, TaskInputs, TaskOutputs, TaskRun } from './task';

/** A declaration with its config type erased: what the engine needs to build and run graphs. */
export interface RegisteredTask {
  readonly name: string;
  readonly summary: string;
  readonly inputs: Readonly<Record<string, ConnectionSpec>>;
  readonly outputs: Readonly<Record<string, ConnectionSpec>>;
  /** Parses YAML config overrides into the full config; throws the zod error on an unknown key or bad value. */
  parseConfig(overrides: unknown): z.ZodSafeParseResult<unknown>;
  readonly implemented: boolean;
  /** Runs the task with the overrides parsed again into its typed config. */
  run(inputs: TaskInputs, overrides: unknown, context: TaskContext): Promise<TaskOutputs>;
}

export class TaskRegistry {
  private readonly tasks = new Map<string, RegisteredTask>();

  /** Adds a declaration (and its implementation, when there is one). A name is declared once. */
  declare<Config>(declaration: TaskDeclaration<Config>, run?: TaskRun<Config>): void {
    if (this.tasks.has(declaration.name)) {
      throw new Error(`task ${declaration.name} is already declared: implement it with implement() instead`);
    }
    this.tasks.set(declaration.name, erase(declaration, run));
  }

  /** Provides the implementation of a declared task (late registration). */
  implement<Config>(declaration: TaskDeclaration<Config>, run: TaskRun<Config>): void {
    const existing = this.tasks.get(declaration.name);
    if (existing === undefined) {
      throw new Error(`task ${declaration.name} is not declared: declare() it with its connections first`);
    }
    if (existing.implemented) throw new Error(`task ${declaration.name} already has an implementation`);
    const changed = connectionDifferences(existing, declaration);
    if (changed.length > 0) {
      // Pipelines were validated against the declared connections; an implementation must keep them.
      throw new Error(
        `task ${declaration.name}'s implementation changes its connections (${changed.join(', ')}): keep the declared ones`,
      );
    }
    this.tasks.set(declaration.name, erase(declaration, run));
  }

  get(name: string): RegisteredTask | undefined {
    return this.tasks.get(name);
  }

  names(): string[] {
    return [...this.tasks.keys()].sort();
  }
}

function connectionDifferences<Config>(
  existing: RegisteredTask,
  declaration: TaskDeclaration<Config>,
): string[] {
  const differences: string[] = [];
  for (const kind of ['inputs', 'outputs'] as const) {
    const names = new Set([...Object.keys(existing[kind]), ...Object.keys(declaration[kind])]);
    for (const name of names) {
      const a = existing[kind][name];
      const b = declaration[kind][name];
      if (a?.storageClass !== b?.storageClass || (a?.optional ?? false) !== (b?.optional ?? false)) {
        differences.push(`${kind}.${name}`);
      }
    }
  }
  return differences;
}

function erase<Config>(
  declaration: TaskDeclaration<Config>,
  run: TaskRun<Config> | undefined,
): RegisteredTask {
  return {
    name: declaration.name,
    summary: declaration.summary,
    inputs: declaration.inputs,
    outputs: declaration.outputs,
    parseConfig: (overrides) => declaration.config.safeParse(overrides ?? {}),
    implemented: run !== undefined,
    async run(inputs, overrides, context) {
      if (run === undefined) throw new Error(`task ${declaration.name} has no implementation`);
      return run(inputs, declaration.config.parse(overrides ?? {}), context);
    },
  };
}
