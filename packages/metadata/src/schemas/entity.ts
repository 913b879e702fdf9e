import { Type, type Static, type TObject, type TProperties } from '@sinclair/typebox';
import { fieldTypes } from '../field-types/registry.js';
import { FIELD_TYPES, type FieldType } from '../field-types/field-type.js';
import { Id, Key, Label, Rule, SchemaVersion } from './common.js';

/** Settings every field has, whatever its type. */
export const fieldCommon = {
  id: Id,
  key: Key,
  type: Type.Union(FIELD_TYPES.map((t) => Type.Literal(t))),
  label: Label,
  help: Type.Optional(Label),
  required: Type.Optional(Type.Boolean()),
  unique: Type.Optional(Type.Boolean()),
  indexed: Type.Optional(Type.Boolean()),
  searchable: Type.Optional(Type.Boolean()),
  defaultValue: Type.Optional(Type.Unknown()),
  archived: Type.Optional(Type.Boolean()),
} satisfies TProperties;

/**
 * The entity document checks fields loosely (common settings, any type);
 * each field is then checked against its own type's schema, so errors name the
 * right settings instead of every branch of a union.
 */
export const FieldBase = Type.Object(
  { ...fieldCommon, id: Type.String(), key: Type.String(), label: Type.Unknown() },
  { additionalProperties: true },
);

export const fieldSchemas = Object.fromEntries(
  FIELD_TYPES.map((t) => [t, Type.Object({ ...fieldCommon, type: Type.Literal(t), ...(fieldTypes[t].settings as TObject).properties }, { additionalProperties: false })]),
) as unknown as Record<FieldType, TObject>;

export const EntityRule = Type.Union([
  Type.Object(
    { id: Id, kind: Type.Union([Type.Literal('requiredIf'), Type.Literal('readOnlyIf'), Type.Literal('visibleIf')]), field: Key, when: Rule },
    { additionalProperties: false },
  ),
  Type.Object({ id: Id, kind: Type.Literal('validation'), when: Type.Optional(Rule), assert: Rule, message: Label }, { additionalProperties: false }),
]);

/**
 * Converting a record of this entity (a lead) into an account, a contact and
 * optionally an opportunity: which target field takes which source field,
 * the status that marks it converted, and where the links to what it became go.
 */
export const Conversion = Type.Object(
  {
    account: Type.Record(Key, Key),
    contact: Type.Record(Key, Key),
    opportunity: Type.Optional(Type.Record(Key, Key)),
    status: Type.Object({ field: Key, converted: Key, closed: Type.Array(Key, { maxItems: 20 }) }, { additionalProperties: false }),
    links: Type.Object({ account: Key, contact: Key, opportunity: Type.Optional(Key), at: Type.Optional(Key) }, { additionalProperties: false }),
  },
  { additionalProperties: false },
);

export const Entity = Type.Object(
  {
    id: Id,
    key: Key,
    schemaVersion: SchemaVersion,
    label: Label,
    pluralLabel: Type.Optional(Label),
    description: Type.Optional(Label),
    icon: Type.Optional(Type.String({ maxLength: 60 })),
    titleField: Key,
    ownership: Type.Union([Type.Literal('owned'), Type.Literal('none')]),
    parentField: Type.Optional(Key),
    hasActivities: Type.Optional(Type.Boolean()),
    /** Records of this entity are activities (calls, visits, meetings): writing one stamps `last_activity_at` on the records it links to. */
    isActivity: Type.Optional(Type.Boolean()),
    conversion: Type.Optional(Conversion),
    archived: Type.Optional(Type.Boolean()),
    fields: Type.Array(FieldBase, { minItems: 1, maxItems: 500 }),
    rules: Type.Array(EntityRule, { maxItems: 200 }),
  },
  { additionalProperties: false },
);

export type Field = Static<typeof FieldBase> & Record<string, unknown>;
export type Entity = Omit<Static<typeof Entity>, 'fields'> & { fields: Field[] };
