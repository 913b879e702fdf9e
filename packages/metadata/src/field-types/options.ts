import { Type } from '@sinclair/typebox';
import { Id, Key, Label } from '../schemas/common.js';

/** Select options: stored by key; deactivated (never deleted) once published. */
export const SelectOption = Type.Object(
  {
    id: Id,
    key: Key,
    label: Label,
    color: Type.Optional(Type.String({ pattern: '^#[0-9a-fA-F]{6}$' })),
    active: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);

export const optionKeys = (f: { options?: unknown } | Record<string, unknown>): string[] =>
  Array.isArray(f.options) ? (f.options as { key: string }[]).map((o) => o.key) : [];
