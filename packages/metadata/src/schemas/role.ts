import { Type, type Static } from '@sinclair/typebox';
import { Id, Key, Label, SchemaVersion, StringEnum } from './common.js';

/** Which records a right covers, narrowest first: own < team < teamTree (the team and the teams below it) < all. */
export const SCOPES = ['none', 'own', 'team', 'teamTree', 'all'] as const;
export const Scope = StringEnum(SCOPES);
export type Scope = (typeof SCOPES)[number];

export const EntityPermission = Type.Object({ create: Type.Boolean(), read: Scope, update: Scope, delete: Scope }, { additionalProperties: false });
export type EntityPermission = Static<typeof EntityPermission>;

/**
 * Entity rights per role; the records service turns them into one SQL
 * predicate. An entity not listed is not accessible. `pool` names owned
 * entities whose unowned records (the public pool) the role may claim.
 */
export const Role = Type.Object(
  {
    id: Id,
    key: Key,
    schemaVersion: SchemaVersion,
    label: Label,
    permissions: Type.Record(Key, EntityPermission, { additionalProperties: false }),
    pool: Type.Optional(Type.Array(Key, { maxItems: 100 })),
  },
  { additionalProperties: false },
);
export type Role = Static<typeof Role>;
