import { Type, type Static } from '@sinclair/typebox';
import { Id, Key, Label, SchemaVersion } from './common.js';

export const SCOPES = ['none', 'own', 'team', 'teamTree', 'all'] as const;
export const Scope = Type.Union(SCOPES.map((s) => Type.Literal(s)));

/** Entity rights per role; the records service turns them into one SQL predicate. */
export const Role = Type.Object(
  {
    id: Id,
    key: Key,
    schemaVersion: SchemaVersion,
    label: Label,
    permissions: Type.Record(Key, Type.Object({ create: Type.Boolean(), read: Scope, update: Scope, delete: Scope }, { additionalProperties: false })),
    pool: Type.Optional(Type.Array(Key, { maxItems: 100 })),
  },
  { additionalProperties: false },
);
export type Role = Static<typeof Role>;
