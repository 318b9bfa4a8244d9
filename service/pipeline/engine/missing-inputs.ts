// Which of a pipeline's repository inputs are absent for one quantum: the pre-execution check the
// service uses to choose a pipeline (an ApPipe without a template cannot run; SingleFrame can).

import type { DataId, DatasetLookup, DatasetRef } from '../../ports/dataset-repository';
import { restrictDataId } from './dimensions';
import { exposuresOf } from './execute-pipeline';
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

/** `exposures`: every exposure of the visit; an exposure-level input must exist for each. */
export async function findMissingInputs(
  graph: PipelineGraph,
  dataId: DataId,
  lookup: DatasetLookup,
  exposures?: readonly number[],
): Promise<InputAvailability> {
  const missing: MissingInput[] = [];
  const absentOptional: MissingInput[] = [];
  const visitExposures = exposuresOf(dataId, exposures);
  for (const input of graph.repositoryInputs) {
    const { name, dimensions } = input.datasetType;
    const dataIds =
      dimensions.includes('exposure') && visitExposures.length > 1
        ? visitExposures.map((exposure) => ({ ...dataId, exposure }))
        : [dataId];
    const readBy = graph.tasks.filter((t) => [...t.inputs.values()].includes(name)).map((t) => t.label);
    for (const id of dataIds) {
      const ref = { datasetType: name, dataId: restrictDataId(id, dimensions) };
      if (!(await lookup.exists(ref))) (input.required ? missing : absentOptional).push({ ref, readBy });
    }
  }
  return { missing, absentOptional };
}

export function describeMissing(missing: readonly MissingInput[]): string {
  return missing
    .map((m) => `${m.ref.datasetType} ${JSON.stringify(m.ref.dataId)} (read by ${m.readBy.join(', ')})`)
    .join('; ');
}
