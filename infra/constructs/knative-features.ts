// Knative Serving's `config-features` flags that gate parts of a revision's pod spec. The CRD schema
// accepts these fields whatever the flags say; the admission webhook rejects them at apply time when
// the flag is off. Checking here turns that late cluster error into a synth error naming the flag.

/** Flags (keys of the `config-features` ConfigMap in knative-serving) that some of our fields need. */
export type KnativeFeature =
  | 'kubernetes.podspec-affinity'
  | 'kubernetes.podspec-tolerations'
  | 'kubernetes.podspec-nodeselector'
  | 'kubernetes.podspec-init-containers'
  | 'kubernetes.podspec-securitycontext';

/** A pod-spec field in use and the flag it needs. */
export interface GatedField {
  readonly field: string;
  readonly feature: KnativeFeature;
}

/** Throws, naming the flag and both ways out, when a gated field is used on a cluster without it. */
export function assertKnativeFeatures(
  owner: string,
  used: readonly GatedField[],
  enabled: readonly KnativeFeature[],
): void {
  const missing = used.filter((u) => !enabled.includes(u.feature));
  if (missing.length === 0) return;
  const list = missing.map((m) => `${m.field} needs ${m.feature}`).join(', ');
  throw new Error(
    `${owner}: ${list}: set the flag to "enabled" in the config-features ConfigMap (knative-serving ` +
      "namespace) and list it in the environment's knativeFeatures, or drop the field",
  );
}
