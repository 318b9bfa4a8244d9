// The engine's typed errors. Each names the pipeline file and, where there is one, the task label and
// config key, and says what to change. Errors before execution make the service try the next pipeline;
// PipelineExecutionError and PipelineAbortedError happen once execution has started and do not.

/** The YAML is malformed or does not fit the schema or the task registry. */
export class PipelineDefinitionError extends Error {
  override readonly name = 'PipelineDefinitionError';
  constructor(
    readonly file: string,
    message: string,
    readonly task?: string,
    readonly key?: string,
  ) {
    super(`${file}${task === undefined ? '' : `: task ${task}`}: ${message}`);
  }
}

/** The tasks do not form a usable graph: a cycle, an input nobody provides, two producers of one output. */
export class PipelineGraphError extends Error {
  override readonly name = 'PipelineGraphError';
  constructor(
    readonly file: string,
    message: string,
  ) {
    super(`${file}: ${message}`);
  }
}

/** The pipeline names a task that is declared (connections and config) but has no implementation yet. */
export class TaskNotImplementedError extends Error {
  override readonly name = 'TaskNotImplementedError';
  constructor(
    readonly file: string,
    readonly tasks: readonly string[],
  ) {
    super(
      `${file}: task${tasks.length === 1 ? '' : 's'} ${tasks.join(', ')} ${tasks.length === 1 ? 'is' : 'are'} declared but ` +
        'not implemented yet: this pipeline cannot run until an implementation is registered (TaskRegistry.implement)',
    );
  }
}

/** A task failed or returned outputs that do not match its connections. */
export class PipelineExecutionError extends Error {
  override readonly name = 'PipelineExecutionError';
  constructor(
    readonly file: string,
    readonly task: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(`${file}: task ${task}: ${message}`, options);
  }
}

/** The caller's AbortSignal fired; tasks already run have written their outputs. */
export class PipelineAbortedError extends Error {
  override readonly name = 'PipelineAbortedError';
  constructor(
    readonly file: string,
    readonly completedTasks: readonly string[],
    readonly reason: unknown,
  ) {
    super(
      `${file}: aborted after ${completedTasks.length} task(s) [${completedTasks.join(', ')}]: ${String(reason)}`,
    );
  }
}
