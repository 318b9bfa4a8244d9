// Collection and run names Prompt Processing reads from and writes to (upstream run_utils): inputs
// under the instrument's standard collections, outputs in a daily chain with one run per pipeline
// and deployment, so outputs of different code or configuration never mix.
import { dayObsOf, dayObsToIsoDate } from './tai';

/** Basename of the run holding what prep_butler preloads, before any pipeline ran. */
export const PRELOAD_RUN_BASENAME = 'NoPipeline';

export interface InputCollections {
  readonly defaults: string;
  readonly calib: string;
  readonly templates: string;
  readonly refcats: string;
  readonly skymaps: string;
  /** Where raws are ingested in the local repo. */
  readonly raws: string;
}

export function inputCollections(instrument: string): InputCollections {
  return {
    defaults: `${instrument}/defaults`,
    calib: `${instrument}/calib`,
    templates: `${instrument}/templates`,
    refcats: 'refcats',
    skymaps: 'skymaps',
    raws: `${instrument}/raw/all`,
  };
}

/**
 * The day's output chain, `<INST>/prompt/output-<YYYY-MM-DD>`, dated by the observing night of the
 * processing time (TAI, rolling over at noon), so a night's outputs share one chain.
 */
export function outputChain(instrument: string, processingTaiUnixSeconds: number): string {
  return `${instrument}/prompt/output-${dayObsToIsoDate(dayObsOf(processingTaiUnixSeconds))}`;
}

/** One pipeline's run in the chain: `<chain>/<Pipeline>/<deployment>`. */
export function outputRun(chain: string, pipelineBasename: string, deployment: string): string {
  for (const [what, value] of [
    ['pipeline', pipelineBasename],
    ['deployment', deployment],
  ] as const) {
    if (!/^[A-Za-z0-9._-]+$/.test(value)) {
      throw new Error(
        `${what} "${value}" cannot be part of a run name: use letters, digits, ".", "_" or "-"`,
      );
    }
  }
  return `${chain}/${pipelineBasename}/${deployment}`;
}

export interface DeploymentInputs {
  /** Short digest of the pipeline definitions and the code that runs them. */
  readonly pipelinesDigest: string;
  /** Short digest of CONFIG_APDB. */
  readonly apdbConfigDigest: string;
}

/**
 * The deployment part of run names: `pipelines-<digest>-config-<digest>` (upstream's current form),
 * so two deployments share a run only when they run the same pipelines against the same APDB.
 * The Knative revision is not used: a rollout with unchanged pipelines should keep writing one run.
 */
export function deploymentId(inputs: DeploymentInputs): string {
  const short = (digest: string, what: string) => {
    if (!/^[0-9a-f]{7,}$/.test(digest)) throw new Error(`${what} digest "${digest}" is not hex of 7+ digits`);
    return digest.slice(0, 7);
  };
  return `pipelines-${short(inputs.pipelinesDigest, 'pipelines')}-config-${short(inputs.apdbConfigDigest, 'APDB config')}`;
}
