import type { TObject, TSchema } from '@sinclair/typebox';
import type { ValueKind } from '@crm/rules';

/**
 * One entry of the field-type registry (one file per type, see registry.ts).
 * The registry is a Record<FieldType, FieldTypeDef>, so adding a type without
 * its definition fails to compile.
 */
export const FIELD_TYPES = [
  'text', 'textarea', 'email', 'url', 'richtext', 'phone',
  'integer', 'decimal', 'currency', 'percent', 'boolean', 'date', 'datetime',
  'select', 'multiselect', 'relation', 'user', 'address', 'file',
  'autonumber', 'formula', 'lookup', 'rollup',
] as const;
export type FieldType = (typeof FIELD_TYPES)[number];

/** Condition-language operators a field type allows (CONVENTIONS.md §4). */
export type Operator =
  | '==' | '!=' | '<' | '<=' | '>' | '>='
  | 'in' | 'contains' | 'startsWith' | 'isEmpty';

/** A physical column a field occupies in its entity table. */
export interface ColumnSpec {
  /** Column name: the field key, or `<key>_<part>` for multi-column types (address). */
  name: string;
  /** PostgreSQL type as written in DDL: 'text', 'bigint', 'numeric(18,2)', 'boolean', 'date', 'timestamptz', 'text[]', 'jsonb', 'uuid'. */
  sqlType: string;
  /** Foreign key: target entity key (a table in the same workspace schema) or the system users table. */
  references?: { kind: 'entity'; entity: string } | { kind: 'users' };
}

/** A field as the registry sees it: common settings plus the type's own. */
export interface FieldLike {
  id: string;
  key: string;
  type: FieldType;
  [setting: string]: unknown;
}

export interface FieldTypeDef<S extends TObject = TObject> {
  type: FieldType;
  /** Name of the type for people (designer palette, messages). */
  label: { 'zh-CN': string; en: string };
  /** TypeBox schema of the settings specific to this type (merged into the field schema). */
  settings: S;
  /** Columns the field stores; [] for types not stored (lookup). */
  columns(field: FieldLike): ColumnSpec[];
  /** Kind the condition language sees, or null when the type cannot be filtered (file, richtext, address as a whole). */
  valueKind(field: FieldLike): ValueKind | null;
  /** Operators allowed in rules on this type. */
  operators: readonly Operator[];
  /** JSON Schema of the value on the wire (records API), for ajv. */
  wireSchema(field: FieldLike): TSchema;
  /** Whether the value is computed by the server (formula, rollup, autonumber, lookup): not writable by clients, no default, never required. */
  computed: boolean;
  /** Whether lists may sort by it (one column of an ordered kind). */
  sortable: boolean;
  /** May carry a unique constraint / plain index / search index. */
  supports: { unique: boolean; indexed: boolean; searchable: boolean };
}

/** Declares a field type; keeps the precise settings schema so `FieldOf<'select'>` knows `options`. */
export const defineFieldType = <S extends TObject>(def: FieldTypeDef<S>): FieldTypeDef<S> => def;
