// Renders the YAML the service reads from MAIN_PIPELINES_CONFIG / PREPROCESSING_PIPELINES_CONFIG
// (upstream shared/config.py): a list of nodes, first match wins. Defaults are one catch-all node
// listing the instrument's pipelines in fallback order.

import { stringify } from 'yaml';
import type { Instrument } from './instruments';

/** Where pipeline files live in the service image; the service expands the variable, not JavaScript. */
// biome-ignore lint/suspicious/noTemplateCurlyInString: a literal ${VAR} for the service to expand
export const PIPELINES_DIR = '${PROMPT_PROCESSING_DIR}/pipelines';

export function pipelineFile(instrument: Instrument, basename: string): string {
  return `${PIPELINES_DIR}/${instrument.name}/${basename}.yaml`;
}

/** A catch-all pipelines config running `basenames` (in fallback order) for every visit. */
export function catchAllPipelinesConfig(instrument: Instrument, basenames: readonly string[]): string {
  const unique = new Set(basenames);
  if (unique.size !== basenames.length) {
    // Basenames become run names, so a repeat would write two pipelines' outputs into one run.
    throw new Error(`pipeline list for ${instrument.name} repeats a name: ${basenames.join(', ')}`);
  }
  return stringify([{ pipelines: basenames.map((b) => pipelineFile(instrument, b)) }]);
}
