// The pipeline YAML and its schema. A pipeline names its instrument, the dataset types it reads from
// the repository (`inputs`), and its tasks: each task's registry name, config overrides, and
// connections — inputs by dataset type name, outputs with their dimensions and storage class. Pure:
// text in, a validated definition out, or a PipelineDefinitionError naming file, task and key.

import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { INSTRUMENT_NAMES } from '../../domain/instruments';
import { DIMENSIONS } from './dimensions';
import { PipelineDefinitionError } from './errors';
import { STORAGE_CLASS_NAMES } from './storage-classes';

const datasetTypeName = z
  .string()
  .regex(
    /^[a-z][a-z0-9_]*$/,
    'dataset type names are snake_case (letters, digits, _), starting with a letter',
  );

const datasetTypeShape = {
  dimensions: z.array(z.enum(DIMENSIONS)),
  storageClass: z.enum(STORAGE_CLASS_NAMES as [string, ...string[]]),
  /** Calibration products (bias, flat...) are looked up by validity range, not by exposure. */
  calibration: z.boolean().default(false),
};

const repositoryInput = z.strictObject(datasetTypeShape);
const taskOutput = z.strictObject({ datasetType: datasetTypeName, ...datasetTypeShape });

const taskEntry = z.strictObject({
  task: z.string().min(1),
  config: z.record(z.string(), z.unknown()).default({}),
  connections: z.strictObject({
    inputs: z.record(z.string(), datasetTypeName).default({}),
    outputs: z.record(z.string(), taskOutput).default({}),
  }),
});

const pipelineSchema = z.strictObject({
  description: z.string().min(1),
  instrument: z.enum(INSTRUMENT_NAMES as [string, ...string[]]),
  inputs: z.record(datasetTypeName, repositoryInput).default({}),
  tasks: z.record(z.string().regex(/^[A-Za-z][A-Za-z0-9_]*$/, 'task labels are identifiers'), taskEntry),
});

export type PipelineDefinitionFile = z.infer<typeof pipelineSchema>;
export type RepositoryInput = z.infer<typeof repositoryInput>;
export type TaskOutputDefinition = z.infer<typeof taskOutput>;
export type TaskEntry = z.infer<typeof taskEntry>;

export interface PipelineDefinition extends PipelineDefinitionFile {
  /** Where the definition came from; every error names it. */
  readonly file: string;
}

export function parsePipeline(text: string, file: string): PipelineDefinition {
  let document: unknown;
  try {
    document = parseYaml(text);
  } catch (error) {
    throw new PipelineDefinitionError(file, `is not valid YAML: ${(error as Error).message}`);
  }
  const result = pipelineSchema.safeParse(document);
  if (!result.success) throw definitionError(file, result.error);
  return { ...result.data, file };
}

/** The first schema problem, with the task label and key pulled out of its path. */
function definitionError(file: string, error: z.ZodError): PipelineDefinitionError {
  const issue = error.issues[0];
  if (issue === undefined) return new PipelineDefinitionError(file, 'does not match the pipeline schema');
  const path = issue.path.map(String);
  const task = path[0] === 'tasks' ? path[1] : undefined;
  const keys = issue.code === 'unrecognized_keys' ? issue.keys : [];
  const where = path.length > 0 ? path.join('.') : 'the top level';
  const message =
    keys.length > 0
      ? `unknown key${keys.length > 1 ? 's' : ''} ${keys.map((k) => `'${k}'`).join(', ')} at ${where}`
      : `${where}: ${issue.message}`;
  return new PipelineDefinitionError(file, message, task, keys[0] ?? path[path.length - 1]);
}
