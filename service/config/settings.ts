// Declaring environment-variable settings: a zod field plus a one-line doc, a default written as the
// env string, and whether the value is a credential. Each process (service, fan-out, bridge) declares
// its own schema with these helpers; `entriesOf` lists them for infra, docs and tests.

import { z } from 'zod';

/** Who sets a variable: the deployment (infra, a developer's shell) or the platform (Knative). */
export type SettingSource = 'deployment' | 'platform';

export interface SettingMeta {
  readonly doc: string;
  /** The default as the string an environment variable would carry. */
  readonly default?: string;
  /** Credentials: infra must take the value from a Secret (`secretKeyRef`), never inline it. */
  readonly secret?: boolean;
  readonly source?: SettingSource;
}

const settingMeta = z.registry<SettingMeta>();

export function required<T extends z.ZodType>(schema: T, doc: string): T {
  settingMeta.add(schema, { doc });
  return schema;
}

export function optional<T extends z.ZodType>(schema: T, doc: string, extra: Omit<SettingMeta, 'doc'> = {}) {
  const field = schema.optional();
  settingMeta.add(field, { doc, ...extra });
  return field;
}

// `prefault` runs the default through the schema, so defaults are written as the env strings they stand for.
export function withDefault<T extends z.ZodType>(schema: T, value: string, doc: string) {
  const field = schema.prefault(value as z.core.util.NoUndefined<z.input<T>>);
  settingMeta.add(field, { doc, default: value });
  return field;
}

export interface SettingEntry<Name extends string = string> {
  readonly name: Name;
  readonly required: boolean;
  readonly default?: string;
  readonly doc: string;
  readonly secret: boolean;
  readonly source: SettingSource;
}

/** One entry per field of `schema`, in declaration order. */
export function entriesOf<Shape extends z.ZodRawShape>(
  schema: z.ZodObject<Shape>,
): SettingEntry<Extract<keyof Shape, string>>[] {
  return (Object.entries(schema.shape) as [Extract<keyof Shape, string>, z.ZodType][]).map(
    ([name, field]) => {
      const meta = settingMeta.get(field);
      if (!meta)
        throw new Error(
          `setting ${name} has no doc: declare it with required(), optional() or withDefault()`,
        );
      return {
        name,
        required: !field.isOptional(),
        ...(meta.default === undefined ? {} : { default: meta.default }),
        doc: meta.doc,
        secret: meta.secret ?? false,
        source: meta.source ?? 'deployment',
      };
    },
  );
}
