// Reading a pipeline file from disk and building its graph: the one place the engine does I/O.

import { readFile } from 'node:fs/promises';
import { parsePipeline } from './pipeline-file';
import { buildPipelineGraph, type PipelineGraph } from './pipeline-graph';
import type { TaskRegistry } from './task-registry';

export async function loadPipelineGraph(file: string, registry: TaskRegistry): Promise<PipelineGraph> {
  const text = await readFile(file, 'utf8');
  return buildPipelineGraph(parsePipeline(text, file), registry);
}
