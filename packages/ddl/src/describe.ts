import type { Action, DdlIssueCode, Finding, FindingCode, Label } from './model.js';

type Lang = 'zh-CN' | 'en';
type Messages = { 'zh-CN': string; en: string };

/** Plan steps and findings in plain words, as the designer shows them before publishing. */
const actionText: { [K in Action['kind']]: Messages } = {
  createTable: { 'zh-CN': '新建对象「{entity}」（数据表 {table}，{count} 列）', en: 'Create entity "{entity}" (table {table}, {count} columns)' },
  addColumn: { 'zh-CN': '为「{entity}」新增字段「{field}」（列 {column}，{type}）', en: 'Add field "{field}" to "{entity}" (column {column}, {type})' },
  addForeignKey: { 'zh-CN': '为「{entity}」.{column} 建立关联约束', en: 'Link "{entity}".{column} with a foreign key' },
  alterColumnType: { 'zh-CN': '将「{entity}」的字段「{field}」由 {from} 改为 {to}', en: 'Change field "{field}" of "{entity}" from {from} to {to}' },
  checkValues: { 'zh-CN': '检查「{entity}」的字段「{field}」现有值都属于选项', en: 'Check that existing values of "{field}" on "{entity}" are options' },
  createIndex: { 'zh-CN': '为「{entity}」.{column} 建立{index}', en: 'Create {index} on "{entity}".{column}' },
  dropIndex: { 'zh-CN': '删除「{entity}」.{column} 上的{index}（不影响数据）', en: 'Drop {index} on "{entity}".{column} (no data affected)' },
  archiveField: { 'zh-CN': '归档字段「{field}」（列和数据保留，可恢复）', en: 'Archive field "{field}" (column and values kept, restorable)' },
  restoreField: { 'zh-CN': '恢复字段「{field}」', en: 'Restore field "{field}"' },
  archiveEntity: { 'zh-CN': '归档对象「{entity}」（数据表保留，可恢复）', en: 'Archive entity "{entity}" (table kept, restorable)' },
  restoreEntity: { 'zh-CN': '恢复对象「{entity}」', en: 'Restore entity "{entity}"' },
  deactivateOption: { 'zh-CN': '停用字段「{field}」的选项「{option}」（已存的值保留）', en: 'Deactivate option "{option}" of "{field}" (stored values kept)' },
  reactivateOption: { 'zh-CN': '重新启用字段「{field}」的选项「{option}」', en: 'Reactivate option "{option}" of "{field}"' },
};

const indexText: Record<string, Messages> = {
  unique: { 'zh-CN': '唯一索引', en: 'a unique index' },
  btree: { 'zh-CN': '索引', en: 'an index' },
  trigram: { 'zh-CN': '全文搜索索引（3 字及以上）', en: 'a search index (3+ characters)' },
  grams: { 'zh-CN': '中文短词搜索索引（1–2 字）', en: 'a short-word search index (1–2 characters)' },
};

export const findingMessages: Record<FindingCode, Messages> = {
  ARCHIVES_VALUES: { 'zh-CN': '归档的字段「{field}」有 {count} 条记录存有值（数据保留）', en: 'archives field `{field}` holding {count} values (kept)' },
  ARCHIVES_RECORDS: { 'zh-CN': '归档的对象「{entity}」有 {count} 条记录（数据保留）', en: 'archives entity `{entity}` holding {count} records (kept)' },
  OPTION_IN_USE: { 'zh-CN': '停用的选项「{option}」被 {count} 条记录使用（值保留）', en: 'option `{option}` of `{field}` is used by {count} records (values kept)' },
  VALUES_NOT_CONVERTIBLE: { 'zh-CN': '{from} → {to}：字段「{field}」有 {count} 条记录的值无法转换，例如 {samples}', en: '{from} -> {to}: {count} rows of `{field}` would not convert, e.g. ids {samples}' },
  VALUES_NOT_IN_OPTIONS: { 'zh-CN': '字段「{field}」有 {count} 条记录的值不在选项中，例如 {samples}', en: '{count} rows of `{field}` hold values that are not options, e.g. ids {samples}' },
  DUPLICATE_VALUES: { 'zh-CN': '字段「{field}」有 {count} 条记录的值重复，无法设为唯一，例如 {samples}', en: '{count} rows of `{field}` share values, so it cannot be unique, e.g. {samples}' },
};

export const ddlMessages: Record<DdlIssueCode, Messages> = {
  DDL_KEY_IMMUTABLE: { 'zh-CN': '已发布的标识不能修改（{from} → {to}）', en: 'A published key cannot change ({from} -> {to})' },
  DDL_TYPE_CHANGE_UNSUPPORTED: { 'zh-CN': '字段「{field}」不能由 {from} 改为 {to}', en: 'Field `{field}` cannot change from {from} to {to}' },
  DDL_RELATION_TARGET_IMMUTABLE: { 'zh-CN': '已发布的关联字段「{field}」不能改变关联对象', en: 'The target of published relation `{field}` cannot change' },
  DDL_FIELD_ID_REUSED: { 'zh-CN': '标识 {key} 已被已发布字段 {id} 使用（可恢复该字段）', en: 'Key {key} belongs to published field {id} (restore that field instead)' },
};

const label = (l: Label, lang: Lang) => (lang === 'en' ? l.en ?? l['zh-CN'] : l['zh-CN'] ?? l.en) ?? '';

export function fill(template: string, params: Record<string, unknown>): string {
  return template.replace(/\{(\w+)\}/g, (w, k: string) => {
    const v = params[k];
    if (v === undefined) return w;
    return Array.isArray(v) ? v.join(', ') : String(v);
  });
}

export function actionParams(a: Action, lang: Lang): Record<string, unknown> {
  const p: Record<string, unknown> = { entity: label(a.entity.label, lang) || a.entity.key, table: a.table };
  if ('field' in a && a.field) p.field = label(a.field.label, lang) || a.field.key;
  if ('column' in a) p.column = typeof a.column === 'string' ? a.column : a.column.name;
  if (a.kind === 'addColumn') p.type = a.column.sqlType;
  if (a.kind === 'createTable') p.count = a.columns.length;
  if (a.kind === 'alterColumnType') Object.assign(p, { from: a.fromType, to: a.toType });
  if (a.kind === 'createIndex' || a.kind === 'dropIndex') Object.assign(p, { column: a.index.column, index: indexText[a.index.kind]![lang] });
  if ('option' in a) p.option = label(a.option.label, lang) || a.option.key;
  return p;
}

export function describeAction(a: Action, lang: Lang): string {
  return fill(actionText[a.kind][lang], actionParams(a, lang));
}

export function describeFinding(f: Finding, lang: Lang): string {
  return fill(findingMessages[f.code][lang], { ...f.params, count: f.count, samples: f.samples.join(', ') || '-' });
}
