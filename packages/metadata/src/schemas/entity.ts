import { Type, type Static, type TObject } from '@sinclair/typebox';
import { fieldTypes, type FieldTypeDefs } from '../field-types/registry.js';
import { FIELD_TYPES, type FieldType } from '../field-types/field-type.js';
import { Id, Key, Label, LongLabel, Rule, SchemaVersion, StringEnum, TaggedUnion } from './common.js';

/** Settings every field has, whatever its type. */
export const fieldCommon = {
  id: Id,
  key: Key,
  label: Label,
  help: Type.Optional(LongLabel),
  required: Type.Optional(Type.Boolean()),
  unique: Type.Optional(Type.Boolean()),
  indexed: Type.Optional(Type.Boolean()),
  searchable: Type.Optional(Type.Boolean()),
  /** A wire value of the field's type (checked against its wireSchema). */
  defaultValue: Type.Optional(Type.Unknown()),
  /** Out of use: hidden, not writable; the column and its values stay (publishing never drops a column). */
  archived: Type.Optional(Type.Boolean()),
};

const FieldCommon = Type.Object(fieldCommon);

/** The schema of one field type: common settings + `type` + the type's own settings. */
export const fieldSchemas = Object.fromEntries(
  FIELD_TYPES.map((t) => [t, Type.Object({ ...fieldCommon, type: Type.Literal(t), ...fieldTypes[t].settings.properties }, { additionalProperties: false, title: t })]),
) as unknown as Record<FieldType, TObject>;

/** Any field: the union of the field-type schemas, told apart by `type`. */
export const FieldSchema = TaggedUnion('type', FIELD_TYPES.map((t) => fieldSchemas[t]));

/** A field of type T with its settings typed, e.g. `FieldOf<'select'>` has `options`. */
export type FieldOf<T extends FieldType> = Static<typeof FieldCommon> & { type: T } & Static<FieldTypeDefs[T]['settings']>;
/** A field as a discriminated union on `type`: narrow with `f.type === 'relation'`. */
export type TypedField = { [T in FieldType]: FieldOf<T> }[FieldType];
/**
 * A field as most code reads it: common settings typed, the type's own
 * settings open. A structurally valid field is also a `TypedField`.
 */
export type Field = Static<typeof FieldCommon> & { type: FieldType } & Record<string, unknown>;

/** Narrows a field to one type. */
export const isFieldOf = <T extends FieldType>(f: { type: string }, type: T): f is FieldOf<T> => f.type === type;

export const CONDITIONAL_RULE_KINDS = ['requiredIf', 'readOnlyIf', 'visibleIf'] as const;

/**
 * Per-entity rules, enforced by the records service and mirrored by forms:
 * `requiredIf` / `readOnlyIf` / `visibleIf` apply to `field` while `when` holds;
 * `validation` refuses a write where `when` (default: always) holds and `assert` does not.
 */
export const EntityRule = TaggedUnion('kind', [
  Type.Object({ id: Id, kind: StringEnum(CONDITIONAL_RULE_KINDS), field: Key, when: Rule }, { additionalProperties: false }),
  Type.Object({ id: Id, kind: Type.Literal('validation'), when: Type.Optional(Rule), assert: Rule, message: Label }, { additionalProperties: false }),
]);
export type EntityRule = Static<typeof EntityRule>;

/**
 * Converting a record of this entity (a lead) into an account, a contact and
 * optionally an opportunity: which target field takes which source field,
 * the status that marks it converted, and where the links to what it became go.
 */
export const Conversion = Type.Object(
  {
    account: Type.Record(Key, Key, { additionalProperties: false }),
    contact: Type.Record(Key, Key, { additionalProperties: false }),
    opportunity: Type.Optional(Type.Record(Key, Key, { additionalProperties: false })),
    status: Type.Object({ field: Key, converted: Key, closed: Type.Array(Key, { maxItems: 20 }) }, { additionalProperties: false }),
    links: Type.Object({ account: Key, contact: Key, opportunity: Type.Optional(Key), at: Type.Optional(Key) }, { additionalProperties: false }),
  },
  { additionalProperties: false },
);

export const OWNERSHIP = ['owned', 'none'] as const;

/** An entity: one table of records, its fields and its rules. */
export const Entity = Type.Object(
  {
    id: Id,
    key: Key,
    schemaVersion: SchemaVersion,
    label: Label,
    pluralLabel: Type.Optional(Label),
    description: Type.Optional(LongLabel),
    icon: Type.Optional(Type.String({ maxLength: 60 })),
    /** The field that names a record (lists, relation pickers, `?expand`). */
    titleField: Key,
    /** `owned` records have an `owner_id` and the role scopes own/team apply; `none` records belong to nobody (or to their parent). */
    ownership: StringEnum(OWNERSHIP),
    /** A relation field whose parent record grants access to this child (quote lines of a quote). */
    parentField: Type.Optional(Key),
    /** Records carry `last_activity_at`, stamped when an activity links to them. */
    hasActivities: Type.Optional(Type.Boolean()),
    /** Records of this entity are activities (calls, visits, meetings): writing one stamps `last_activity_at` on the records it links to. */
    isActivity: Type.Optional(Type.Boolean()),
    conversion: Type.Optional(Conversion),
    archived: Type.Optional(Type.Boolean()),
    fields: Type.Array(FieldSchema, { minItems: 1, maxItems: 500 }),
    rules: Type.Array(EntityRule, { maxItems: 200 }),
  },
  { additionalProperties: false },
);

/** An entity document; `fields` typed loosely (see `Field`), narrow with `TypedField`. */
export type Entity = Omit<Static<typeof Entity>, 'fields'> & { fields: Field[] };
