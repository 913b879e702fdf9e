import { Type, type Static } from '@sinclair/typebox';
import { Id, Key, Label } from '../schemas/common.js';

/**
 * A choice of a select / multiselect. Records store its `key`; once published
 * an option is deactivated (`active: false`), never deleted, so stored values
 * keep their meaning.
 */
export const SelectOption = Type.Object(
  {
    id: Id,
    key: Key,
    label: Label,
    color: Type.Optional(Type.String({ pattern: '^#[0-9a-fA-F]{6}$' })),
    active: Type.Boolean(),
  },
  { additionalProperties: false },
);
export type SelectOption = Static<typeof SelectOption>;

export const SelectOptions = Type.Array(SelectOption, { minItems: 1, maxItems: 500 });

/** Option keys of a field, inactive ones included (they may be stored). */
export const optionKeys = (f: { options?: unknown } | Record<string, unknown>): string[] =>
  Array.isArray(f.options) ? (f.options as { key?: unknown }[]).map((o) => o?.key).filter((k): k is string => typeof k === 'string') : [];
