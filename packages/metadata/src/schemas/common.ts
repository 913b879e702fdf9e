import { Type, type Static, type TObject, type TUnion, type TUnsafe } from '@sinclair/typebox';

/** Stable element id: never changes once created (templates and upgrades recognise elements by it). */
export const ID_PATTERN = '^[a-z][a-z0-9_]{1,63}$';
export const Id = Type.String({ pattern: ID_PATTERN, description: 'stable id, e.g. fld_3k9x2a' });

/**
 * API/column name. ASCII only, so look-alike letters (Cyrillic а, full-width ａ)
 * cannot hide in a key; the reserved-word and system-column checks come after.
 */
export const KEY_PATTERN = '^[a-z][a-z0-9_]{0,39}$';
export const Key = Type.String({ pattern: KEY_PATTERN, description: 'API/column name, e.g. expected_close' });

/** `{ "zh-CN": "商机", "en": "Opportunity" }`: at least one language; the other falls back (labels.ts). */
export const Label = Type.Object(
  { 'zh-CN': Type.Optional(Type.String({ minLength: 1, maxLength: 200 })), en: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })) },
  { additionalProperties: false, minProperties: 1 },
);
export type Label = Static<typeof Label>;

/** Longer text in both languages (descriptions, help). */
export const LongLabel = Type.Object(
  { 'zh-CN': Type.Optional(Type.String({ minLength: 1, maxLength: 2000 })), en: Type.Optional(Type.String({ minLength: 1, maxLength: 2000 })) },
  { additionalProperties: false, minProperties: 1 },
);
export type LongLabel = Static<typeof LongLabel>;

/** A condition in the shared language (CONVENTIONS.md §4); its inside is checked by @crm/rules against the entity's fields. */
export const Rule = Type.Object({}, { additionalProperties: true, description: 'json-logic condition (@crm/rules); its shape is checked there' });
export type Rule = Record<string, unknown>;

export const SchemaVersion = Type.Integer({ minimum: 1 });

export const SEMVER_PATTERN = '^(0|[1-9]\\d*)\\.(0|[1-9]\\d*)\\.(0|[1-9]\\d*)(-[0-9A-Za-z-]+(\\.[0-9A-Za-z-]+)*)?(\\+[0-9A-Za-z-]+(\\.[0-9A-Za-z-]+)*)?$';

export const COLOR_PATTERN = '^#[0-9a-fA-F]{6}$';
export const Color = Type.String({ pattern: COLOR_PATTERN });

/**
 * A union told apart by one property (`type` of a field, `kind` of a layout
 * item). Emitted as `oneOf` + `discriminator`, so ajv (`discriminator: true`)
 * checks only the branch the tag names and its errors point at the right
 * settings instead of at every branch. The static type is the plain union.
 */
export function TaggedUnion<T extends TObject[]>(tag: string, branches: [...T], options: { description?: string } = {}): TUnsafe<Static<TUnion<T>>> {
  return Type.Unsafe<Static<TUnion<T>>>({ type: 'object', required: [tag], discriminator: { propertyName: tag }, oneOf: branches, ...options });
}

/** One of some strings, as a JSON Schema `enum` (ajv then names the allowed values in one error). */
export const StringEnum = <const T extends readonly string[]>(values: T, options: { description?: string } = {}): TUnsafe<T[number]> =>
  Type.Unsafe<T[number]>({ type: 'string', enum: [...values], ...options });
