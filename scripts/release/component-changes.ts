// Compares the component versions recorded at two releases. A component whose major version changed
// is a breaking change for operators: something outside this code (a database, the central repo,
// alert consumers) must change with the deployment. Pure: versions in, changes out.

import {
  COMPONENT_TITLES,
  COMPONENTS,
  type Component,
  type ComponentVersions,
  UNKNOWN_VERSION,
} from '../../service/domain/component-versions';

export interface ComponentChange {
  readonly component: Component;
  readonly title: string;
  readonly previous: string;
  readonly current: string;
  readonly changed: boolean;
  /** The major version moved (either way); never true when a side is unknown. */
  readonly breaking: boolean;
}

/** What an operator must do before deploying a release that changes a component's major version. */
export const OPERATOR_ACTIONS: Readonly<Record<Component, string>> = {
  pipelines:
    'pipeline definitions changed incompatibly: check every instrument’s pipeline selection config and ' +
    'register new dataset types in the central repo before deploying',
  apdbSchema: 'migrate every APDB (or create new ones) to this schema before deploying',
  registrySchema: 'migrate the central repo’s registry before deploying',
  dimensionsConfig:
    'migrate the central repo to this dimension universe, then restart every service so local repos pick it up',
  alertSchema: 'register the new alert schema and tell alert consumers before deploying',
};

export function compareComponentVersions(
  previous: ComponentVersions,
  current: ComponentVersions,
): ComponentChange[] {
  return COMPONENTS.map((component) => {
    const before = previous[component];
    const after = current[component];
    const majorBefore = majorVersionOf(before);
    const majorAfter = majorVersionOf(after);
    return {
      component,
      title: COMPONENT_TITLES[component],
      previous: before,
      current: after,
      changed: before !== after,
      breaking: majorBefore !== undefined && majorAfter !== undefined && majorBefore !== majorAfter,
    };
  });
}

/** The first number of a dotted version; undefined for UNKNOWN_VERSION. */
export function majorVersionOf(version: string): number | undefined {
  if (version === UNKNOWN_VERSION) return undefined;
  const major = /^(\d+)/.exec(version)?.[1];
  return major === undefined ? undefined : Number(major);
}
