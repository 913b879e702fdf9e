import { Type, type Static } from '@sinclair/typebox';
import { Id, Key, Label, Rule, SchemaVersion, StringEnum } from './common.js';

export const VIEW_TYPES = ['list', 'kanban'] as const;

/** System columns a view may sort by, besides sortable fields. */
export const SORTABLE_SYSTEM_COLUMNS = ['created_at', 'updated_at', 'last_activity_at'] as const;

/**
 * A saved list or kanban view of an entity. A kanban groups by a select field;
 * `roles` limits who sees the view (every role when absent).
 */
export const View = Type.Object(
  {
    id: Id,
    entity: Key,
    schemaVersion: SchemaVersion,
    label: Label,
    type: StringEnum(VIEW_TYPES),
    columns: Type.Array(Key, { minItems: 1, maxItems: 100 }),
    sort: Type.Array(Type.Object({ field: Key, direction: StringEnum(['asc', 'desc'] as const) }, { additionalProperties: false }), { maxItems: 5 }),
    filter: Type.Optional(Rule),
    groupBy: Type.Optional(Key),
    cardFields: Type.Optional(Type.Array(Key, { maxItems: 10 })),
    roles: Type.Optional(Type.Array(Key, { maxItems: 100 })),
  },
  { additionalProperties: false },
);
export type View = Static<typeof View>;
