// Strict offline validation of synthesized manifests: core kinds against the Kubernetes 1.27 OpenAPI
// definitions, custom kinds against the CRDs kept in infra/crds/. Unknown fields are errors (like
// `kubectl --validate=strict`), and so is a kind that has no schema, so nothing passes unchecked.

import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import Ajv, { type AnySchema, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { parseAllDocuments } from 'yaml';

const REPO = path.resolve(__dirname, '../../..');
const K8S_DEFINITIONS = path.resolve(REPO, '../shared/schemas/k8s/v1.27.0-definitions.json');
const CRD_DIR = path.join(REPO, 'infra/crds');
const OBJECT_META_REF = 'k8s#/definitions/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta';
const K8S_REF = (definition: string) => ({ $ref: `k8s#/definitions/io.k8s.api.core.v1.${definition}` });

/**
 * Knative's CRD leaves its feature-flagged pod-spec fields open (preserve-unknown), although they are
 * the core Kubernetes types: check them as such, so a typo in a toleration is caught too.
 */
const KNATIVE_GATED_FIELDS: Record<string, Json> = {
  tolerations: { type: 'array', items: K8S_REF('Toleration') },
  affinity: K8S_REF('Affinity'),
  nodeSelector: { type: 'object', additionalProperties: { type: 'string' } },
};

function closeKnativeGatedFields(schema: JsonObject): void {
  const podSpec = (((schema.properties as JsonObject).spec as JsonObject).properties as JsonObject)
    .template as JsonObject;
  const fields = ((podSpec.properties as JsonObject).spec as JsonObject).properties as JsonObject;
  for (const [field, replacement] of Object.entries(KNATIVE_GATED_FIELDS)) {
    if (fields[field] !== undefined) fields[field] = replacement;
  }
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

export interface Manifest {
  readonly apiVersion?: unknown;
  readonly kind?: unknown;
  readonly metadata?: { readonly name?: unknown; readonly namespace?: unknown };
  readonly [key: string]: unknown;
}

function isObject(value: Json | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Closes every object schema that lists properties, and turns the Kubernetes int-or-string markers
 * into something JSON Schema understands. Returns a new tree.
 */
function strictify(node: Json): Json {
  if (Array.isArray(node)) return node.map(strictify);
  if (!isObject(node)) return node;
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(node)) {
    // `properties` maps field names to schemas: recurse into the schemas, never treat names as keywords.
    out[key] =
      key === 'properties' && isObject(value)
        ? Object.fromEntries(Object.entries(value).map(([k, v]) => [k, strictify(v)]))
        : strictify(value);
  }
  if (out['x-kubernetes-int-or-string'] === true) {
    delete out.type;
    out.anyOf = [{ type: 'integer' }, { type: 'string' }];
  }
  const open = out['x-kubernetes-preserve-unknown-fields'] === true;
  if (isObject(out.properties) && !open && out.additionalProperties === undefined) {
    out.additionalProperties = false;
  }
  return out;
}

function gvkKey(apiVersion: string, kind: string): string {
  return `${apiVersion}/${kind}`;
}

/** `apps/v1` + `Deployment` keys for every definition carrying x-kubernetes-group-version-kind. */
function coreKinds(definitions: JsonObject): Map<string, string> {
  const kinds = new Map<string, string>();
  for (const [name, definition] of Object.entries(definitions)) {
    if (!isObject(definition)) continue;
    const gvks = definition['x-kubernetes-group-version-kind'];
    if (!Array.isArray(gvks)) continue;
    for (const gvk of gvks) {
      if (!isObject(gvk)) continue;
      const group = String(gvk.group ?? '');
      const apiVersion = group ? `${group}/${String(gvk.version)}` : String(gvk.version);
      kinds.set(gvkKey(apiVersion, String(gvk.kind)), name);
    }
  }
  return kinds;
}

/** Served versions of every CRD file; files later in name order win (Strimzi 1.2.0 over 0.49.1 for v1). */
function crdSchemas(includeFile: (file: string) => boolean): Map<string, JsonObject> {
  const schemas = new Map<string, JsonObject>();
  for (const file of readdirSync(CRD_DIR).sort().filter(includeFile)) {
    for (const document of parseAllDocuments(readFileSync(path.join(CRD_DIR, file), 'utf8'))) {
      const crd = document.toJS() as Json;
      if (!isObject(crd) || !isObject(crd.spec) || !isObject(crd.spec.names)) continue;
      const kind = String(crd.spec.names.kind);
      const group = String(crd.spec.group);
      for (const version of Array.isArray(crd.spec.versions) ? crd.spec.versions : []) {
        if (!isObject(version) || version.served !== true || !isObject(version.schema)) continue;
        const schema = version.schema.openAPIV3Schema;
        if (!isObject(schema)) continue;
        const apiVersion = `${group}/${String(version.name)}`;
        const strict = strictify(schema) as JsonObject;
        const properties = (strict.properties ?? {}) as JsonObject;
        properties.apiVersion = { const: apiVersion };
        properties.kind = { const: kind };
        properties.metadata = { $ref: OBJECT_META_REF };
        strict.properties = properties;
        if (group === 'serving.knative.dev' && kind === 'Service') closeKnativeGatedFields(strict);
        strict.required = [
          ...new Set([...((strict.required as string[]) ?? []), 'apiVersion', 'kind', 'metadata']),
        ];
        schemas.set(gvkKey(apiVersion, kind), strict);
      }
    }
  }
  return schemas;
}

export type ManifestValidator = (manifest: Manifest) => string[];

/** CRD files kept in infra/crds/, in name order. */
export function crdFiles(): string[] {
  return readdirSync(CRD_DIR).sort();
}

export interface ValidatorOptions {
  /** Use only these CRD files (by name), e.g. one Strimzi release's. @default - every file */
  readonly crdFiles?: (file: string) => boolean;
}

/** Builds the validator once (compiling the Argo CD CRD takes a second or two); call it per manifest. */
export function buildValidator(options: ValidatorOptions = {}): ManifestValidator {
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats(ajv);
  const k8s = JSON.parse(readFileSync(K8S_DEFINITIONS, 'utf8')) as { definitions: JsonObject };
  const definitions = strictify(k8s.definitions) as JsonObject;
  ajv.addSchema({ $id: 'k8s', definitions } as AnySchema);
  const core = coreKinds(k8s.definitions);
  const crds = crdSchemas(options.crdFiles ?? (() => true));
  const compiled = new Map<string, ValidateFunction>();

  function validatorFor(apiVersion: string, kind: string): ValidateFunction | undefined {
    const key = gvkKey(apiVersion, kind);
    const cached = compiled.get(key);
    if (cached) return cached;
    const crd = crds.get(key);
    const definition = core.get(key);
    let schema: AnySchema | undefined;
    if (crd) schema = crd;
    else if (definition) {
      schema = {
        allOf: [{ $ref: `k8s#/definitions/${definition}` }],
        properties: { apiVersion: { const: apiVersion }, kind: { const: kind } },
        required: ['apiVersion', 'kind', 'metadata'],
      };
    }
    if (!schema) return undefined;
    const validate = ajv.compile(schema);
    compiled.set(key, validate);
    return validate;
  }

  return (manifest) => {
    const where = `${String(manifest.kind)} ${String(manifest.metadata?.namespace ?? '-')}/${String(manifest.metadata?.name)}`;
    if (typeof manifest.apiVersion !== 'string' || typeof manifest.kind !== 'string') {
      return [`${where}: apiVersion and kind must be strings`];
    }
    const validate = validatorFor(manifest.apiVersion, manifest.kind);
    if (!validate) return [`${where}: no schema for ${manifest.apiVersion} ${manifest.kind}`];
    if (validate(manifest)) return [];
    return (validate.errors ?? []).map(
      (e) => `${where}: ${e.instancePath || '/'} ${e.message ?? ''} ${JSON.stringify(e.params)}`,
    );
  };
}
