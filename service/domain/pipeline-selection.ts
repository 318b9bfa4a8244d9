// Which pipelines run for a visit (upstream shared/config.py): MAIN_PIPELINES_CONFIG and
// PREPROCESSING_PIPELINES_CONFIG are YAML lists of nodes; the first node whose conditions the visit
// meets gives the pipelines in fallback order, `[]` (or null) meaning "nothing to run".
import { parse } from 'yaml';
import { z } from 'zod';

export class PipelinesConfigError extends Error {
  override readonly name = 'PipelinesConfigError';
}

/** No node matched the visit: a configuration gap, not a property of the visit. */
export class NoPipelinesConfiguredError extends Error {
  override readonly name = 'NoPipelinesConfiguredError';
}

const range = z.strictObject({ min: z.number(), max: z.number() });

const nodeSchema = z.strictObject({
  survey: z.string().optional(),
  ra: range.optional(),
  dec: range.optional(),
  'coord-type': z.enum(['detector', 'boresight']).optional(),
  'binary-map': z.string().optional(),
  pipelines: z.array(z.string().min(1)).nullable(),
});

export interface PipelinesNode {
  readonly survey?: string;
  /** Degrees; min > max wraps through 0 (e.g. 340 → 20). */
  readonly ra?: { readonly min: number; readonly max: number };
  readonly dec?: { readonly min: number; readonly max: number };
  /** Which position the sky conditions test. @default 'detector' */
  readonly coordType: 'detector' | 'boresight';
  /** Pipeline files in fallback order, variables expanded; empty = run nothing. */
  readonly pipelines: readonly string[];
}

export type PipelinesConfig = readonly PipelinesNode[];

/** Expands `$VAR` and `${VAR}`; an undefined variable is an error rather than an empty string. */
export function expandVariables(text: string, env: Readonly<Record<string, string | undefined>>): string {
  return text.replace(
    /\$\{([A-Za-z_][A-Za-z0-9_]*)\}|\$([A-Za-z_][A-Za-z0-9_]*)/g,
    (_match, braced, bare) => {
      const name = (braced ?? bare) as string;
      const value = env[name];
      if (value === undefined)
        throw new PipelinesConfigError(`pipelines config uses $${name}, which is not set`);
      return value;
    },
  );
}

/** `…/pipelines/LATISS/ApPipe.yaml` → `ApPipe`: the name its outputs' run carries. */
export function pipelineBasename(file: string): string {
  const name = file.split('/').pop() ?? file;
  return name.replace(/\.ya?ml$/, '');
}

export function parsePipelinesConfig(
  yamlText: string,
  env: Readonly<Record<string, string | undefined>> = {},
): PipelinesConfig {
  let raw: unknown;
  try {
    raw = parse(yamlText);
  } catch (error) {
    throw new PipelinesConfigError(`pipelines config is not valid YAML: ${(error as Error).message}`);
  }
  if (!Array.isArray(raw) || raw.length === 0) {
    throw new PipelinesConfigError('pipelines config must be a non-empty YAML list of nodes');
  }
  return raw.map((entry, index) => {
    const node = nodeSchema.safeParse(entry);
    if (!node.success) {
      const issue = node.error.issues[0];
      const where =
        issue?.path.join('.') || (issue?.code === 'unrecognized_keys' ? issue.keys.join(', ') : '');
      throw new PipelinesConfigError(
        `pipelines config node ${index}: ${where ? `${where}: ` : ''}${issue?.message}`,
      );
    }
    if (node.data['binary-map'] !== undefined) {
      throw new PipelinesConfigError(
        `pipelines config node ${index}: binary-map (HEALPix crowding maps) is not supported yet; select by survey, ra or dec`,
      );
    }
    const pipelines = (node.data.pipelines ?? []).map((file) => expandVariables(file, env));
    const basenames = pipelines.map(pipelineBasename);
    const repeated = basenames.find((name, i) => basenames.indexOf(name) !== i);
    if (repeated) {
      throw new PipelinesConfigError(
        `pipelines config node ${index} lists two pipelines named ${repeated}: basenames name output runs and must differ`,
      );
    }
    const dec = node.data.dec;
    if (dec && dec.min > dec.max) {
      throw new PipelinesConfigError(
        `pipelines config node ${index}: dec min (${dec.min}) is above max (${dec.max})`,
      );
    }
    return {
      ...(node.data.survey !== undefined ? { survey: node.data.survey } : {}),
      ...(node.data.ra ? { ra: node.data.ra } : {}),
      ...(node.data.dec ? { dec: node.data.dec } : {}),
      coordType: node.data['coord-type'] ?? 'detector',
      pipelines,
    };
  });
}

export interface VisitForSelection {
  readonly survey: string;
  /** [ra, dec] of the boresight, degrees; absent when the visit has no usable position. */
  readonly boresight?: readonly [number, number];
  /** [ra, dec] of the detector's centre, degrees. */
  readonly detectorCenter?: readonly [number, number];
}

function inRa(ra: number, bounds: { min: number; max: number }): boolean {
  const wrapped = ((ra % 360) + 360) % 360;
  return bounds.min <= bounds.max
    ? wrapped >= bounds.min && wrapped <= bounds.max
    : wrapped >= bounds.min || wrapped <= bounds.max;
}

function matches(node: PipelinesNode, visit: VisitForSelection): boolean {
  if (node.survey !== undefined && node.survey !== visit.survey) return false;
  if (!node.ra && !node.dec) return true;
  const position = node.coordType === 'boresight' ? visit.boresight : visit.detectorCenter;
  if (!position) return false;
  const [ra, dec] = position;
  if (node.ra && !inRa(ra, node.ra)) return false;
  if (node.dec && (dec < node.dec.min || dec > node.dec.max)) return false;
  return true;
}

/** The pipelines of the first matching node, in fallback order (possibly none). */
export function selectPipelines(config: PipelinesConfig, visit: VisitForSelection): readonly string[] {
  const node = config.find((n) => matches(n, visit));
  if (!node) {
    throw new NoPipelinesConfiguredError(
      `no pipelines config node matches survey "${visit.survey}"${visit.boresight ? ` at ${visit.boresight.join(', ')}` : ''}: add a catch-all node`,
    );
  }
  return node.pipelines;
}
