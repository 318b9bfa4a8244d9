// Which of a pipeline's repository inputs are absent for one quantum: the pre-execution check the
// service uses to choose a pipeline (an ApPipe without a template cannot run; SingleFrame can).

import type { DataId, DatasetLookup, DatasetRef } from '../../ports/dataset-repository';
import { restrictDataId } from './dimensions';
import type { PipelineGraph } from './pipeline-graph';

export interface MissingInput {
  readonly ref: DatasetRef;
  /** Labels of the tasks that read it. */
  readonly readBy: readonly string[];
}

export interface InputAvailability {
  /** Required inputs not in the repository: the pipeline cannot run. */
  readonly missing: readonly MissingInput[];
  /** Optional inputs not in the repository: the pipeline runs without them (e.g. no refcat → header WCS). */
  readonly absentOptional: readonly MissingInput[];
}

export async function findMissingInputs(
  graph: PipelineGraph,
  dataId: DataId,
  lookup: DatasetLookup,
): Promise<InputAvailability> {
  const missing: MissingInput[] = [];
  const absentOptional: MissingInput[] = [];
  for (const input of graph.repositoryInputs) {
    const ref = {
      datasetType: input.datasetType.name,
      dataId: restrictDataId(dataId, input.datasetType.dimensions),
    };
    if (await lookup.exists(ref)) continue;
    const readBy = graph.tasks
      .filter((t) => [...t.inputs.values()].includes(input.datasetType.name))
      .map((t) => t.label);
    (input.required ? missing : absentOptional).push({ ref, readBy });
  }
  return { missing, absentOptional };
}

export function describeMissing(missing: readonly MissingInput[]): string {
  return missing
    .map((m) => `${m.ref.datasetType} ${JSON.stringify(m.ref.dataId)} (read by ${m.readBy.join(', ')})`)
    .join('; ');
}
