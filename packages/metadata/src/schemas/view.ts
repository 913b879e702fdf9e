import { Type, type Static } from '@sinclair/typebox';
import { Id, Key, Label, Rule, SchemaVersion } from './common.js';

/** A saved list or kanban view of an entity. */
export const View = Type.Object(
  {
    id: Id,
    entity: Key,
    schemaVersion: SchemaVersion,
    label: Label,
    type: Type.Union([Type.Literal('list'), Type.Literal('kanban')]),
    columns: Type.Array(Key, { minItems: 1, maxItems: 100 }),
    sort: Type.Array(Type.Object({ field: Key, direction: Type.Union([Type.Literal('asc'), Type.Literal('desc')]) }, { additionalProperties: false }), { maxItems: 5 }),
    filter: Type.Optional(Rule),
    groupBy: Type.Optional(Key),
    cardFields: Type.Optional(Type.Array(Key, { maxItems: 10 })),
    roles: Type.Optional(Type.Array(Key, { maxItems: 100 })),
  },
  { additionalProperties: false },
);
export type View = Static<typeof View>;
