// Kubernetes naming rules and the labels every object carries. Names here are addressed by people
// and other systems (URLs, Argo CD, Kafka), so they are set explicitly and checked, never hashed.

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
export const MAX_DNS_LABEL_LENGTH = 63;

/** Throws unless `name` is an RFC 1123 label (what namespaces, services and most names must be). */
export function assertDnsLabel(name: string, what: string): string {
  if (!DNS_LABEL.test(name) || name.length > MAX_DNS_LABEL_LENGTH) {
    throw new Error(
      `${what} "${name}" is not a valid name: use at most ${MAX_DNS_LABEL_LENGTH} lower-case letters, ` +
        'digits and hyphens, starting and ending with a letter or digit',
    );
  }
  return name;
}

export const PART_OF = 'prompt-processing';

export interface ComponentLabels {
  readonly component: string;
  /** Instrument slug (`latiss`). */
  readonly instrument: string;
  readonly environment: string;
}

/** Recommended app.kubernetes.io labels plus the instrument and environment. */
export function componentLabels(labels: ComponentLabels): Record<string, string> {
  return {
    'app.kubernetes.io/name': labels.component,
    'app.kubernetes.io/instance': `${labels.component}-${labels.instrument}`,
    'app.kubernetes.io/part-of': PART_OF,
    'app.kubernetes.io/managed-by': 'cdk8s',
    'prompt-processing.lsst.io/instrument': labels.instrument,
    'prompt-processing.lsst.io/environment': labels.environment,
  };
}

/** The labels a selector matches on: stable across image and config changes. */
export function selectorLabels(labels: ComponentLabels): Record<string, string> {
  return {
    'app.kubernetes.io/name': labels.component,
    'app.kubernetes.io/instance': `${labels.component}-${labels.instrument}`,
  };
}
