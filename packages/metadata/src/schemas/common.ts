import { Type, type Static } from '@sinclair/typebox';

/** Stable element id: never changes once created (templates and upgrades recognise elements by it). */
export const Id = Type.String({ pattern: '^[a-z][a-z0-9_]{1,63}$', description: 'stable id, e.g. fld_3k9x2a' });

/**
 * API/column name. ASCII only, so look-alike letters (Cyrillic а, full-width ａ)
 * cannot hide in a key; the reserved-word and system-column checks come after.
 */
export const KEY_PATTERN = '^[a-z][a-z0-9_]{0,39}$';
export const Key = Type.String({ pattern: KEY_PATTERN });

export const Label = Type.Object(
  { 'zh-CN': Type.Optional(Type.String({ minLength: 1, maxLength: 200 })), en: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })) },
  { additionalProperties: false, minProperties: 1 },
);
export type Label = Static<typeof Label>;

/** A condition in the shared language; its inside is checked by @crm/rules against the entity's fields. */
export const Rule = Type.Object({}, { additionalProperties: true, minProperties: 1, maxProperties: 1 });
export type Rule = Record<string, unknown>;

export const SchemaVersion = Type.Integer({ minimum: 1 });
