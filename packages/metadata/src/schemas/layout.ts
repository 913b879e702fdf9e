import { Type, type Static } from '@sinclair/typebox';
import { Id, Key, Label, SchemaVersion } from './common.js';

export const LayoutItem = Type.Union([
  Type.Object({ kind: Type.Literal('field'), field: Key, span: Type.Optional(Type.Integer({ minimum: 1, maximum: 4 })) }, { additionalProperties: false }),
  Type.Object({ kind: Type.Literal('relatedList'), entity: Key, field: Key }, { additionalProperties: false }),
  Type.Object({ kind: Type.Literal('help'), text: Label }, { additionalProperties: false }),
]);

export const LayoutSection = Type.Object(
  { id: Id, label: Type.Optional(Label), columns: Type.Integer({ minimum: 1, maximum: 4 }), items: Type.Array(LayoutItem, { maxItems: 300 }) },
  { additionalProperties: false },
);

/** A form layout: tabs of sections of fields, related lists and help text. */
export const Layout = Type.Object(
  {
    id: Id,
    entity: Key,
    schemaVersion: SchemaVersion,
    label: Label,
    tabs: Type.Array(Type.Object({ id: Id, label: Label, sections: Type.Array(LayoutSection, { maxItems: 50 }) }, { additionalProperties: false }), { minItems: 1, maxItems: 20 }),
  },
  { additionalProperties: false },
);
export type Layout = Static<typeof Layout>;
