import { Type, type Static } from '@sinclair/typebox';
import { Id, Key, Label, LongLabel, SchemaVersion, TaggedUnion } from './common.js';

/** What a section shows: a field, the records of another entity that point here, or a note. */
export const LayoutItem = TaggedUnion('kind', [
  Type.Object({ kind: Type.Literal('field'), field: Key, span: Type.Optional(Type.Integer({ minimum: 1, maximum: 4 })) }, { additionalProperties: false }),
  /** Records of `entity` whose relation `field` points at this record. */
  Type.Object({ kind: Type.Literal('relatedList'), entity: Key, field: Key }, { additionalProperties: false }),
  Type.Object({ kind: Type.Literal('help'), text: LongLabel }, { additionalProperties: false }),
]);
export type LayoutItem = Static<typeof LayoutItem>;

export const LayoutSection = Type.Object(
  { id: Id, label: Type.Optional(Label), columns: Type.Integer({ minimum: 1, maximum: 4 }), items: Type.Array(LayoutItem, { maxItems: 300 }) },
  { additionalProperties: false },
);
export type LayoutSection = Static<typeof LayoutSection>;

export const LayoutTab = Type.Object({ id: Id, label: Label, sections: Type.Array(LayoutSection, { maxItems: 50 }) }, { additionalProperties: false });
export type LayoutTab = Static<typeof LayoutTab>;

/** A record form: tabs of sections (1–4 columns) of fields, related lists and help text; tabs and sections keep stable ids. */
export const Layout = Type.Object(
  {
    id: Id,
    entity: Key,
    schemaVersion: SchemaVersion,
    label: Label,
    tabs: Type.Array(LayoutTab, { minItems: 1, maxItems: 20 }),
  },
  { additionalProperties: false },
);
export type Layout = Static<typeof Layout>;
