import type { ColumnSpec, FieldLike } from '@crm/metadata';

/**
 * The slice of an entity document the schema planner reads. Structural, so the
 * full metadata `Entity` type fits it without the planner depending on every
 * document detail.
 */
export interface Label { 'zh-CN'?: string; en?: string }

export interface PlanField extends FieldLike {
  label: Label;
  archived?: boolean;
  unique?: boolean;
  indexed?: boolean;
  searchable?: boolean;
  options?: { id: string; key: string; label: Label; active?: boolean }[];
  target?: string;
}

export interface PlanEntity {
  id: string;
  key: string;
  label: Label;
  ownership?: 'owned' | 'none';
  hasActivities?: boolean;
  archived?: boolean;
  fields: PlanField[];
  [other: string]: unknown;
}

export interface Ref { id: string; key: string; label: Label }

export type IndexKind = 'unique' | 'btree' | 'trigram' | 'grams';

export interface IndexSpec { name: string; kind: IndexKind; column: string }

/** Plain, serialisable steps of a plan. Metadata-only steps carry no DDL but are shown to the user. */
export type Action =
  | { kind: 'createTable'; entity: Ref; table: string; columns: ColumnSpec[] }
  | { kind: 'addColumn'; entity: Ref; table: string; field: Ref | null; column: ColumnSpec }
  | { kind: 'addForeignKey'; entity: Ref; table: string; field: Ref; column: string; references: NonNullable<ColumnSpec['references']> }
  | { kind: 'alterColumnType'; entity: Ref; table: string; field: Ref; column: string; from: string; to: string; fromType: string; toType: string }
  | { kind: 'checkValues'; entity: Ref; table: string; field: Ref; column: string; allowed: string[]; array: boolean }
  | { kind: 'createIndex'; entity: Ref; table: string; field: Ref | null; index: IndexSpec }
  | { kind: 'dropIndex'; entity: Ref; table: string; field: Ref | null; index: IndexSpec }
  | { kind: 'archiveField'; entity: Ref; table: string; field: Ref; columns: string[] }
  | { kind: 'restoreField'; entity: Ref; table: string; field: Ref }
  | { kind: 'archiveEntity'; entity: Ref; table: string }
  | { kind: 'restoreEntity'; entity: Ref; table: string }
  | { kind: 'deactivateOption'; entity: Ref; table: string; field: Ref; column: string; option: Ref; array: boolean }
  | { kind: 'reactivateOption'; entity: Ref; table: string; field: Ref; option: Ref };

export type ActionKind = Action['kind'];

/** A change the planner refuses outright (the request is wrong, not the data). */
export interface PlanIssue {
  kind: 'entity';
  id: string;
  pointer: string;
  code: DdlIssueCode;
  params: Record<string, unknown>;
}

export type DdlIssueCode =
  | 'DDL_KEY_IMMUTABLE'
  | 'DDL_TYPE_CHANGE_UNSUPPORTED'
  | 'DDL_RELATION_TARGET_IMMUTABLE'
  | 'DDL_FIELD_ID_REUSED';

/** What the data says about an action, measured by a probe before publishing. */
export interface Finding {
  action: number;
  code: FindingCode;
  /** A blocking finding stops the publish: applying it would fail or lose values. */
  blocking: boolean;
  count: number;
  samples: string[];
  params: Record<string, unknown>;
}

export type FindingCode =
  | 'ARCHIVES_VALUES'
  | 'ARCHIVES_RECORDS'
  | 'OPTION_IN_USE'
  | 'VALUES_NOT_CONVERTIBLE'
  | 'VALUES_NOT_IN_OPTIONS'
  | 'DUPLICATE_VALUES';
