export { createApi, ApiError, type Api } from './api.js';
export { labelOf, type Lang, type Label } from './labels.js';
export { widgets, inputs, type UiField, type WidgetContext } from './widgets.js';
export { cells, type Cell } from './cells.js';
export { RecordForm, RecordDetails, type UiLayout } from './record-form.js';
export { RelationSelect } from './relation-select.js';
export { RuleBuilder, type RuleField } from './rules/rule-builder.js';
export { fromLogic, toLogic, type RuleNode, type GroupNode, type CondNode } from './rules/rule-model.js';
