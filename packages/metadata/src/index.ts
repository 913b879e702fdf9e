// Field types: the registry and its contract.
export * from './field-types/field-type.js';
export { fieldTypes, isFieldType, type FieldTypeDefs } from './field-types/registry.js';
export { ADDRESS_PARTS } from './field-types/address.js';
export { AGGREGATES, ROLLUP_RESULT_TYPES } from './field-types/rollup.js';
export { ON_DELETE } from './field-types/relation.js';
export { AUTONUMBER_PATTERN } from './field-types/autonumber.js';
export { RESULT_TYPES, type ResultType } from './field-types/helpers.js';
export { SelectOption, optionKeys } from './field-types/options.js';

// Document schemas (TypeBox: JSON Schema + TS type).
export { Id, ID_PATTERN, Key, KEY_PATTERN, Label, LongLabel, Rule, SchemaVersion, SEMVER_PATTERN, StringEnum, TaggedUnion } from './schemas/common.js';
export {
  Entity, EntityRule, Conversion, FieldSchema, fieldSchemas, fieldCommon, isFieldOf, CONDITIONAL_RULE_KINDS, OWNERSHIP,
  type Field, type FieldOf, type TypedField,
} from './schemas/entity.js';
export { Layout, LayoutItem, LayoutSection, LayoutTab } from './schemas/layout.js';
export { View, VIEW_TYPES, SORTABLE_SYSTEM_COLUMNS } from './schemas/view.js';
export { Pipeline, Stage, StageGate, Transition } from './schemas/pipeline.js';
export { Role, EntityPermission, Scope, SCOPES } from './schemas/role.js';
export { Manifest, SemverRange } from './schemas/manifest.js';
export {
  Flow, Trigger, ValueExpr, Duration, stepConfigs, STEP_KINDS, STEP_BRANCHES, RECORD_EVENTS, DURATION_UNITS, MAX_STEPS_PER_FLOW, MAX_BRANCH_DEPTH,
  type Step, type StepBranch, type StepKind, type StepConfig, type TriggerKind,
} from './schemas/flow.js';
export {
  DOCUMENT_KINDS, CURRENT_VERSION, schemas, isDocumentKind,
  type DocumentKind, type DocumentBodies, type MetadataDocument,
} from './schemas/documents.js';

// Validation, messages, migrations.
export { validate, validateDocument, type MetadataIssue } from './validate/index.js';
export { metadataMessages, issueMessage, fillMessage, type MetadataIssueCode, type Messages, type Lang } from './messages.js';
export { migrateDocument, documentMigrations, DocumentVersionError, type MigrationStep, type MigrationRegistry } from './migrations.js';
export { ruleSchemaFor } from './rule-schema.js';
export { labelText } from './labels.js';
export { PG_RESERVED, SYSTEM_COLUMNS, FORBIDDEN_KEYS } from './reserved.js';
export { checkFormula, fitsResultType, FORMULA_OPERATORS, FORMULA_SPEC, FORMULA_LIMITS, type FormulaType, type FormulaVar, type FormulaCheck } from './formula-language.js';
export { formulaVars } from './formula-vars.js';
export { isSemverRange } from './semver-range.js';
export { walkSteps, type StepVisitor } from './flow-walk.js';
export { cronError, parseCron, cronMatches, latestMatch, nextMatch, localParts, floorToMinute, type CronSpec, type LocalParts } from './cron.js';
