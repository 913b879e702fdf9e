import { ddlMessages, findingMessages } from '@crm/ddl';
import { metadataMessages } from '@crm/metadata';
import { ruleMessages } from '@crm/rules';
import type { Messages } from './i18n.js';

/** Messages of the detail codes (inside `details[]`), gathered from the engines into the one catalogue. */
export const requestMessages = {
  REQUEST_SCHEMA: { 'zh-CN': '请求字段不符合要求：{reason}', en: 'Request field is invalid: {reason}' },
} as const satisfies Record<string, Messages>;

/** Problems with one record's values, rules and relations. */
export const recordMessages = {
  RECORD_UNKNOWN_FIELD: { 'zh-CN': '字段 {field} 不存在或已归档；可用字段：{allowed}', en: 'Field {field} does not exist or is archived; allowed: {allowed}' },
  RECORD_PROTECTED_FIELD: { 'zh-CN': '字段 {field} 由系统维护，不能写入', en: 'Field {field} is maintained by the system and cannot be written' },
  RECORD_INVALID_VALUE: { 'zh-CN': '字段 {field} 的值不正确：{reason}', en: 'Invalid value for {field}: {reason}' },
  RECORD_REQUIRED: { 'zh-CN': '「{field}」为必填', en: '"{field}" is required' },
  RECORD_READ_ONLY: { 'zh-CN': '字段 {field} 当前不可修改', en: 'Field {field} cannot be changed now' },
  RECORD_OPTION_INACTIVE: { 'zh-CN': '选项 {option} 已停用，不能再选择', en: 'Option {option} is deactivated and cannot be chosen' },
  RECORD_RULE_FAILED: { 'zh-CN': '未通过校验规则 {rule}', en: 'Validation rule {rule} failed' },
  RECORD_STAGE_TRANSITION: { 'zh-CN': '不能从阶段「{from}」直接进入「{to}」', en: 'Cannot move from stage "{from}" to "{to}"' },
  RECORD_STAGE_GATE: { 'zh-CN': '进入阶段「{stage}」前需要填写：{missing}', en: 'Stage "{stage}" needs: {missing}' },
  RECORD_STAGE_GATE_RULE: { 'zh-CN': '不满足进入阶段「{stage}」的条件', en: 'The conditions for stage "{stage}" are not met' },
  RECORD_RELATION_NOT_FOUND: { 'zh-CN': '字段 {field} 引用的记录不存在', en: 'The record referenced by {field} does not exist' },
  RECORD_DUPLICATE_VALUE: { 'zh-CN': '字段 {field} 的值已被其他记录使用', en: 'Another record already has this value of {field}' },
  RECORD_DELETE_BLOCKED: { 'zh-CN': '{entity} 中有 {count} 条记录通过 {field} 引用它，例如 {samples}', en: '{count} {entity} records refer to it through {field}, e.g. {samples}' },
} as const satisfies Record<string, Messages>;

/** Problems with a saved view's definition. */
export const viewMessages = {
  VIEW_UNKNOWN_COLUMN: { 'zh-CN': '列 {field} 不存在或已归档', en: 'Column {field} does not exist or is archived' },
  VIEW_NOT_SORTABLE: { 'zh-CN': '不能按 {field} 排序', en: 'Cannot sort by {field}' },
  VIEW_UNKNOWN_ROLE: { 'zh-CN': '角色 {role} 不存在', en: 'Role {role} does not exist' },
  VIEW_SHARE_FORBIDDEN: { 'zh-CN': '只有所有者、管理员和设计者可以把视图共享给角色', en: 'Only owners, admins and designers may share a view with roles' },
} as const satisfies Record<string, Messages>;

export const detailMessages: Readonly<Record<string, Messages>> = {
  ...ruleMessages,
  ...metadataMessages,
  ...ddlMessages,
  ...findingMessages,
  ...requestMessages,
  ...recordMessages,
  ...viewMessages,
};
