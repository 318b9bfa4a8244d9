// The versions of the contracts a deployment must match outside this code: the pipeline definitions,
// the APDB schema (Felis ApdbSchema), the central registry's schema, its dimension universe
// ("dimensions-config") and the alert schema (lsst.vMAJOR_MINOR). component-versions.json beside this
// file is their single source of truth; release notes compare it between release tags, and a change
// of major version there is what makes a release breaking for operators.

import recorded from './component-versions.json';

export const COMPONENTS = [
  'pipelines',
  'apdbSchema',
  'registrySchema',
  'dimensionsConfig',
  'alertSchema',
] as const;
export type Component = (typeof COMPONENTS)[number];

/** Each component's version as written: "10.0.0", "11.0", "7". */
export type ComponentVersions = Readonly<Record<Component, string>>;

/** What an old release reports for a component it did not record yet. */
export const UNKNOWN_VERSION = 'unknown';

/** How operators call each component, for notes and logs. */
export const COMPONENT_TITLES: Readonly<Record<Component, string>> = {
  pipelines: 'Pipelines',
  apdbSchema: 'APDB schema',
  registrySchema: 'Registry schema',
  dimensionsConfig: 'Dimensions config',
  alertSchema: 'Alert schema',
};

// Dot-separated numbers: enough to tell a major version; "v"-prefixes and words are typos here.
const VERSION = /^\d+(\.\d+)*$/;

/** Thrown when component-versions.json is malformed; the message names the field to fix. */
export class InvalidComponentVersionsError extends Error {
  override readonly name = 'InvalidComponentVersionsError';
}

/** Strict reading, for the file in the working tree: every component present and well formed. */
export function parseComponentVersions(json: unknown, source: string): ComponentVersions {
  if (!isRecord(json)) throw new InvalidComponentVersionsError(`${source} must hold a JSON object`);
  const problems = COMPONENTS.flatMap((component) => {
    const value = json[component];
    if (typeof value !== 'string') return [`"${component}" is missing; add it as a version string`];
    return VERSION.test(value)
      ? []
      : [`"${component}" is "${value}"; write dot-separated numbers like "10.0.0"`];
  });
  if (problems.length > 0) throw new InvalidComponentVersionsError(`${source}: ${problems.join('; ')}`);
  return pickComponents(json);
}

/**
 * Lenient reading, for the file as it was at an old release: absent file (undefined), absent or
 * malformed fields all read as UNKNOWN_VERSION instead of failing the release notes.
 */
export function componentVersionsOrUnknown(json: unknown): ComponentVersions {
  return pickComponents(isRecord(json) ? json : {});
}

/** Where the record lives, relative to the repository root (release notes read it at old tags). */
export const COMPONENT_VERSIONS_PATH = 'service/domain/component-versions.json';

/** The versions this checkout ships. */
export const currentComponentVersions: ComponentVersions = parseComponentVersions(
  recorded,
  COMPONENT_VERSIONS_PATH,
);

function pickComponents(json: Readonly<Record<string, unknown>>): ComponentVersions {
  const entries = COMPONENTS.map((component) => {
    const value = json[component];
    return [component, typeof value === 'string' && VERSION.test(value) ? value : UNKNOWN_VERSION] as const;
  });
  return Object.fromEntries(entries) as Record<Component, string>;
}

function isRecord(value: unknown): value is Readonly<Record<string, unknown>> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
