// Renders container env from a process's declared settings (service/config/*). Every name must be
// declared, credentials only ever come from a Secret, values must parse, and — for a process's full
// configuration — every required setting must be present. Errors name the setting and the fix.

import type { z } from 'zod';
import type { SettingEntry } from '../../service/config/settings';

/** A key in a Kubernetes Secret of the workload's namespace. */
export interface SecretKey {
  readonly secretName: string;
  readonly key: string;
}

export interface EnvVar {
  readonly name: string;
  readonly value?: string;
  readonly valueFrom?: { readonly secretKeyRef: { readonly name: string; readonly key: string } };
}

export interface EnvSpec<Name extends string> {
  /** What is being configured, for error messages (`prompt service LATISS`). */
  readonly owner: string;
  readonly entries: readonly SettingEntry<Name>[];
  /** Parses a subset of the settings, so a bad value fails at synth, not at pod start. */
  readonly schema: z.ZodObject;
  readonly values: Partial<Record<Name, string>>;
  readonly secrets?: Partial<Record<Name, SecretKey>>;
  /** The env is the process's whole configuration (false for Jobs that need a subset). */
  readonly complete: boolean;
}

export function renderEnv<Name extends string>(spec: EnvSpec<Name>): EnvVar[] {
  const byName = new Map<string, SettingEntry<Name>>(spec.entries.map((e) => [e.name, e]));
  const values = spec.values as Record<string, string | undefined>;
  const secrets = (spec.secrets ?? {}) as Record<string, SecretKey | undefined>;
  for (const name of [...Object.keys(values), ...Object.keys(secrets)]) {
    const entry = byName.get(name);
    if (!entry) {
      throw new Error(
        `${spec.owner}: env var ${name} is not a declared setting: add it to the process's config schema ` +
          'under service/config/ or drop it',
      );
    }
    if (entry.source === 'platform') {
      throw new Error(`${spec.owner}: ${name} is set by the platform: remove it from the deployment`);
    }
  }
  for (const name of Object.keys(values)) {
    if (byName.get(name)?.secret) {
      throw new Error(`${spec.owner}: ${name} is a credential: pass it as a secret key, never as a value`);
    }
    if (Object.hasOwn(secrets, name)) {
      throw new Error(`${spec.owner}: ${name} is given both as a value and as a secret: keep one`);
    }
  }
  if (spec.complete) {
    const missing = spec.entries
      .filter((e) => e.required && values[e.name] === undefined && secrets[e.name] === undefined)
      .map((e) => e.name);
    if (missing.length > 0) {
      throw new Error(`${spec.owner}: required settings missing: ${missing.join(', ')}: give them values`);
    }
  }
  const parsed = spec.schema.partial().safeParse(values);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`${spec.owner}: invalid setting values: ${problems}`);
  }
  // Declaration order keeps the output stable and groups related settings.
  return spec.entries.flatMap((entry): EnvVar[] => {
    const value = values[entry.name];
    if (value !== undefined) return [{ name: entry.name, value }];
    const secret = secrets[entry.name];
    if (secret)
      return [
        { name: entry.name, valueFrom: { secretKeyRef: { name: secret.secretName, key: secret.key } } },
      ];
    return [];
  });
}
