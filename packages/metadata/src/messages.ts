import { fieldTypes, isFieldType } from './field-types/registry.js';

export interface Messages { 'zh-CN': string; en: string }
export type Lang = keyof Messages;

/**
 * Messages of the metadata issue codes, with `{param}` placeholders; part of
 * the product's single error catalogue (docs/errors.md lists every code).
 * Names appear in 「」 in Chinese and in quotes in English.
 */
const messages = {
  // The document as a whole
  META_NOT_OBJECT: { 'zh-CN': '文档必须是一个 JSON 对象', en: 'The document must be a JSON object' },
  META_UNKNOWN_KIND: { 'zh-CN': '不认识的文档类型「{kind}」', en: 'Unknown document kind "{kind}"' },
  META_ID_MISMATCH: { 'zh-CN': '文档的 id 必须与地址中的 {id} 一致', en: 'The document id must match {id} in the URL' },
  META_SCHEMA_VERSION: { 'zh-CN': '文档版本不受支持：{reason}', en: 'Unsupported document version: {reason}' },
  META_DUPLICATE_DOCUMENT: { 'zh-CN': '已有另一个 id 为 {id} 的同类文档', en: 'Another document of this kind already has the id {id}' },
  META_CHECK_FAILED: { 'zh-CN': '检查此处时发生意外错误，请联系管理员（{reason}）', en: 'Checking this part failed unexpectedly; please report it ({reason})' },

  // Structure (JSON Schema)
  META_REQUIRED: { 'zh-CN': '缺少必填项 {property}', en: 'Missing required property {property}' },
  META_UNKNOWN_PROPERTY: { 'zh-CN': '不支持的属性 {property}', en: 'Unknown property {property}' },
  META_WRONG_TYPE: { 'zh-CN': '类型不正确，应为{expected}', en: 'Wrong type, expected {expected}' },
  META_NOT_ALLOWED_VALUE: { 'zh-CN': '取值不在允许范围内，可选：{allowed}', en: 'Value not allowed; expected one of {allowed}' },
  META_OUT_OF_RANGE: { 'zh-CN': '数值超出范围，应 {comparison} {limit}', en: 'Value out of range; must be {comparison} {limit}' },
  META_TOO_SHORT: { 'zh-CN': '内容太短，至少 {limit} 个字符', en: 'Too short; at least {limit} characters' },
  META_TOO_LONG: { 'zh-CN': '内容太长，最多 {limit} 个字符', en: 'Too long; at most {limit} characters' },
  META_TOO_FEW: { 'zh-CN': '至少需要 {limit} 项', en: 'At least {limit} items are needed' },
  META_TOO_MANY: { 'zh-CN': '最多只能有 {limit} 项', en: 'At most {limit} items are allowed' },
  META_BAD_FORMAT: { 'zh-CN': '格式不正确，示例：{example}', en: 'Invalid format; for example {example}' },
  META_INVALID: { 'zh-CN': '内容不符合要求：{reason}', en: 'Invalid: {reason}' },
  META_UNKNOWN_FIELD_TYPE: { 'zh-CN': '不支持的字段类型「{type}」', en: 'Unsupported field type "{type}"' },

  // Keys (API names)
  META_KEY_FORMAT: {
    'zh-CN': 'API 名称「{key}」只能包含小写英文字母、数字和下划线，须以字母开头，最长 40 个字符',
    en: 'API name "{key}" must be lower-case ASCII letters, digits and underscores, start with a letter, at most 40 characters',
  },
  META_KEY_RESERVED: { 'zh-CN': 'API 名称「{key}」是数据库保留字，请换一个', en: 'API name "{key}" is a reserved database word; choose another' },
  META_KEY_SYSTEM: { 'zh-CN': 'API 名称「{key}」与系统字段同名，请换一个', en: 'API name "{key}" is a system column; choose another' },
  META_KEY_FORBIDDEN: { 'zh-CN': 'API 名称「{key}」不允许使用', en: 'API name "{key}" is not allowed' },

  // Duplicates
  META_DUPLICATE_KEY: { 'zh-CN': 'API 名称「{key}」已被 {other} 使用', en: 'API name "{key}" is already used by {other}' },
  META_DUPLICATE_KEY_ARCHIVED: { 'zh-CN': 'API 名称「{key}」仍被已归档的字段 {other} 占用，请换一个名称或恢复该字段', en: 'API name "{key}" still belongs to the archived field {other}; choose another or restore that field' },
  META_DUPLICATE_COLUMN: { 'zh-CN': '字段「{key}」生成的数据列 {column} 与字段「{other}」冲突', en: 'Column {column} of field "{key}" collides with field "{other}"' },
  META_DUPLICATE_ID: { 'zh-CN': 'id {id} 在文档中重复', en: 'Id {id} appears twice in the document' },
  META_DUPLICATE_OPTION: { 'zh-CN': '选项「{key}」重复', en: 'Option "{key}" appears twice' },
  META_DUPLICATE_ITEM: { 'zh-CN': '「{item}」重复出现', en: '"{item}" appears twice' },
  META_DUPLICATE_PIPELINE: { 'zh-CN': '字段「{field}」已有阶段流程 {other}', en: 'Field "{field}" already has pipeline {other}' },

  // References
  META_UNKNOWN_ENTITY: { 'zh-CN': '对象「{entity}」不存在', en: 'Entity "{entity}" does not exist' },
  META_ENTITY_ARCHIVED: { 'zh-CN': '对象「{entity}」已归档，不能在此使用', en: 'Entity "{entity}" is archived and cannot be used here' },
  META_UNKNOWN_FIELD: { 'zh-CN': '对象「{entity}」没有字段「{field}」', en: 'Entity "{entity}" has no field "{field}"' },
  META_FIELD_ARCHIVED: { 'zh-CN': '字段「{field}」已归档，不能在此使用', en: 'Field "{field}" is archived and cannot be used here' },
  META_FIELD_WRONG_TYPE: { 'zh-CN': '字段「{field}」在此处应为{expected}', en: 'Field "{field}" must be {expected} here' },
  META_RELATION_TARGET: { 'zh-CN': '字段「{field}」应为指向对象「{entity}」的关联字段', en: 'Field "{field}" must be a relation to "{entity}"' },
  META_TITLE_FIELD: { 'zh-CN': '字段「{field}」不能作为标题字段，请选择文本、编号、数字或日期类字段', en: 'Field "{field}" cannot be the title; choose a text, number or date field' },
  META_LAYOUT_MISSING_REQUIRED: { 'zh-CN': '必填字段「{field}」不在此布局中，用户将无法用它新建记录', en: 'Required field "{field}" is not on this layout, so records cannot be created with it' },
  META_NOT_SORTABLE: { 'zh-CN': '不能按字段「{field}」排序', en: 'Lists cannot be sorted by field "{field}"' },
  META_PARENT_CYCLE: { 'zh-CN': '上级关系形成了循环：{path}', en: 'Parent relations form a cycle: {path}' },
  META_UNKNOWN_OPTION: { 'zh-CN': '字段「{field}」没有选项「{option}」', en: 'Field "{field}" has no option "{option}"' },
  META_UNKNOWN_ROLE: { 'zh-CN': '角色「{role}」不存在', en: 'Role "{role}" does not exist' },
  META_UNKNOWN_PIPELINE: { 'zh-CN': '阶段流程 {pipeline} 不存在，或不是字段「{field}」的流程', en: 'Pipeline {pipeline} does not exist or is not the pipeline of field "{field}"' },

  // Field settings
  META_SETTING_NOT_SUPPORTED: { 'zh-CN': '{type}类型的字段不支持设置{setting}', en: 'Fields of type {type} do not support {setting}' },
  META_COMPUTED_FIELD: { 'zh-CN': '字段「{field}」由系统计算，不能设置{setting}', en: 'Field "{field}" is computed by the system, so {setting} does not apply' },
  META_BAD_DEFAULT: { 'zh-CN': '默认值不符合字段「{field}」的类型', en: 'The default value does not fit field "{field}"' },

  // Pipelines
  META_STAGE_NOT_OPTION: { 'zh-CN': '阶段「{stage}」与字段「{field}」的选项不一致（id 和 API 名称都要相同）', en: 'Stage "{stage}" does not match an option of "{field}" (same id and key)' },
  META_OPTION_NOT_STAGE: { 'zh-CN': '选项「{option}」在流程中没有对应的阶段', en: 'Option "{option}" has no stage in the pipeline' },
  META_UNKNOWN_STAGE: { 'zh-CN': '流程中没有阶段「{stage}」', en: 'The pipeline has no stage "{stage}"' },

  // Formulas and rollups
  META_FORMULA_SYNTAX: { 'zh-CN': '公式结构不正确：每一步写成 {"运算": [参数…]}，字段写成 {"var": "API 名称"}', en: 'Malformed formula: each step is {"operator": [arguments…]}, a field is {"var": "key"}' },
  META_FORMULA_OPERATOR: { 'zh-CN': '公式不支持运算「{op}」', en: 'Formulas do not support "{op}"' },
  META_FORMULA_ARITY: { 'zh-CN': '运算「{op}」的参数个数不正确（应为 {expected} 个）', en: '"{op}" takes {expected} arguments' },
  META_FORMULA_TYPE: { 'zh-CN': '运算「{op}」的参数应为{expected}', en: 'The arguments of "{op}" must be {expected}' },
  META_FORMULA_FIELD: { 'zh-CN': '公式不能使用字段「{field}」（类型：{type}）', en: 'Formulas cannot use field "{field}" (type {type})' },
  META_FORMULA_CYCLE: { 'zh-CN': '公式之间循环引用：{path}', en: 'Formulas refer to each other in a cycle: {path}' },
  META_FORMULA_TOO_DEEP: { 'zh-CN': '公式嵌套过深（最多 {max} 层）', en: 'The formula is nested too deeply (at most {max} levels)' },
  META_FORMULA_TOO_LARGE: { 'zh-CN': '公式过长（最多 {max} 字节）', en: 'The formula is too large (at most {max} bytes)' },
  META_RESULT_TYPE: { 'zh-CN': '计算结果是{actual}，与结果类型（{expected}）不符', en: 'The result is {actual}, which does not fit the result type ({expected})' },
  META_ROLLUP_FIELD: { 'zh-CN': '汇总方式 {aggregate} 需要子对象上的数值或日期字段', en: 'Aggregate {aggregate} needs a number or date field of the child entity' },

  // Roles
  META_SCOPE_WIDER_THAN_READ: { 'zh-CN': '对象「{entity}」的{right}范围不能大于查看范围', en: 'On "{entity}", the {right} scope cannot be wider than the read scope' },
  META_SCOPE_NO_OWNER: { 'zh-CN': '对象「{entity}」的记录没有负责人，不能按「{scope}」授权', en: 'Records of "{entity}" have no owner, so the scope "{scope}" does not apply' },
  META_POOL_NOT_OWNED: { 'zh-CN': '对象「{entity}」的记录没有负责人，不能设公海', en: 'Records of "{entity}" have no owner, so it cannot have a pool' },

  // Flows (automations)
  META_FLOW_TOO_MANY_STEPS: { 'zh-CN': '自动化共有 {count} 个步骤，最多 {max} 个（含分支内的步骤）', en: 'The flow has {count} steps; at most {max} are allowed, branches included' },
  META_FLOW_TOO_DEEP: { 'zh-CN': '分支嵌套过深（最多 {max} 层）', en: 'Branches are nested too deeply (at most {max} levels)' },
  META_FLOW_BRANCHES_NOT_ALLOWED: { 'zh-CN': '「{kind}」步骤不能包含分支', en: 'A "{kind}" step cannot hold branches' },
  META_FLOW_DEFAULT_BRANCH: { 'zh-CN': '没有条件的分支（默认分支）只能有一个，且必须放在最后', en: 'Only one branch may be without a rule (the default), and it must come last' },
  META_FLOW_LOOP_BODY: { 'zh-CN': '循环只有一个循环体分支，且不带条件', en: 'A loop has exactly one body branch, without a rule' },
  META_FLOW_CRON: { 'zh-CN': 'cron 表达式中的「{value}」无效：应为 5 段「分 时 日 月 周」，例如 0 9 * * 1-5', en: 'Invalid cron expression at "{value}": five parts "minute hour day month weekday" are expected, e.g. 0 9 * * 1-5' },
  META_FLOW_FIELD_NOT_WRITABLE: { 'zh-CN': '字段「{field}」由系统计算，自动化不能写入', en: 'Field "{field}" is computed by the system; a flow cannot write it' },
  META_FLOW_UNKNOWN_VAR: {
    'zh-CN': '「{var}」不是可用的变量（可用：record.字段、previous.字段、trigger.参数、steps.步骤.输出、$user.id）',
    en: '"{var}" is not a variable a flow can read (record.<field>, previous.<field>, trigger.<input>, steps.<step>.<output>, $user.id)',
  },
  META_FLOW_UNKNOWN_STEP: { 'zh-CN': '没有 id 为 {step} 的步骤', en: 'There is no step with the id {step}' },
  META_FLOW_STEP_NOT_BEFORE: { 'zh-CN': '步骤 {step} 不一定在此之前执行，不能使用它的结果', en: 'Step {step} does not always run before this one, so its output cannot be used here' },
  META_FLOW_NO_RECORD: { 'zh-CN': '此自动化没有触发记录（定时触发或不带对象的 Webhook），这里不能使用触发记录', en: 'This flow has no trigger record (a schedule, or a webhook without an entity), so the trigger record cannot be used here' },
  META_FLOW_NOT_OWNED: { 'zh-CN': '对象「{entity}」的记录没有负责人，不能在此使用负责人', en: 'Records of "{entity}" have no owner, so owners cannot be used here' },
  META_FLOW_UNKNOWN_FLOW: { 'zh-CN': '自动化 {flow} 不存在', en: 'Flow {flow} does not exist' },
  META_FLOW_CALLS_ITSELF: { 'zh-CN': '自动化不能调用自身', en: 'A flow cannot call itself' },
} as const satisfies Record<string, Messages>;

export type MetadataIssueCode = keyof typeof messages;

export const metadataMessages: Readonly<Record<MetadataIssueCode, Messages>> = messages;

/** Words that checks pass as parameter values (types, settings, rights), in both languages. */
const WORDS: Record<string, Messages> = {
  // JSON types (structure) and value types (formulas)
  string: { 'zh-CN': '文本', en: 'a string' },
  text: { 'zh-CN': '文本', en: 'text' },
  number: { 'zh-CN': '数字', en: 'a number' },
  integer: { 'zh-CN': '整数', en: 'an integer' },
  decimal: { 'zh-CN': '小数', en: 'a decimal' },
  boolean: { 'zh-CN': '是/否（true/false）', en: 'true or false' },
  date: { 'zh-CN': '日期', en: 'a date' },
  datetime: { 'zh-CN': '日期时间', en: 'a date and time' },
  object: { 'zh-CN': 'JSON 对象', en: 'an object' },
  array: { 'zh-CN': '列表', en: 'a list' },
  null: { 'zh-CN': '空值', en: 'null' },
  stored: { 'zh-CN': '实际存储的字段（不能是引用字段）', en: 'a stored field (not a lookup)' },
  number_or_date: { 'zh-CN': '数字或日期', en: 'a number or a date' },
  same: { 'zh-CN': '相同类型的值', en: 'values of the same type' },
  // Field settings and rule kinds
  required: { 'zh-CN': '必填', en: '"required"' },
  unique: { 'zh-CN': '唯一', en: '"unique"' },
  indexed: { 'zh-CN': '索引', en: '"indexed"' },
  searchable: { 'zh-CN': '搜索', en: '"searchable"' },
  defaultValue: { 'zh-CN': '默认值', en: 'a default value' },
  requiredIf: { 'zh-CN': '条件必填规则', en: 'a requiredIf rule' },
  readOnlyIf: { 'zh-CN': '条件只读规则', en: 'a readOnlyIf rule' },
  // Rights and scopes
  update: { 'zh-CN': '编辑', en: 'update' },
  delete: { 'zh-CN': '删除', en: 'delete' },
  own: { 'zh-CN': '本人', en: 'own' },
  team: { 'zh-CN': '本团队', en: 'team' },
  teamTree: { 'zh-CN': '本团队及下级团队', en: 'team and sub-teams' },
};

/** Parameters whose values are words to translate; the others (names, numbers) are shown as they are. */
const TRANSLATED = new Set(['expected', 'actual', 'type', 'setting', 'right', 'scope']);

/** A word in one language; a field type by its label (`type`: 「单选」, others: 「单选」类型的字段). */
function word(name: string, value: unknown, lang: Lang): string {
  const v = String(value);
  if (isFieldType(v) && (name === 'type' || !WORDS[v])) {
    const label = fieldTypes[v].label[lang];
    if (name === 'type') return lang === 'zh-CN' ? `「${label}」` : `"${label}"`;
    return lang === 'zh-CN' ? `「${label}」类型的字段` : `a "${label}" field`;
  }
  return WORDS[v]?.[lang] ?? v;
}

function param(name: string, value: unknown, lang: Lang): string {
  const one = (v: unknown) => (TRANSLATED.has(name) ? word(name, v, lang) : typeof v === 'object' && v !== null ? JSON.stringify(v) : String(v));
  if (!Array.isArray(value)) return one(value);
  // Alternatives read "A or B"; lists of values "A、B、C".
  const sep = name === 'expected' ? (lang === 'zh-CN' ? '或' : ' or ') : lang === 'zh-CN' ? '、' : ', ';
  return value.map(one).join(sep);
}

/** Fills a message template in one language; placeholders without a parameter stay as they are. */
export function fillMessage(template: string, params: Readonly<Record<string, unknown>>, lang: Lang): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (params[name] === undefined ? whole : param(name, params[name], lang)));
}

/** Both languages of an issue's message, from any catalogue (`{...metadataMessages, ...ruleMessages}`). */
export function issueMessage(catalogue: Readonly<Record<string, Messages>>, code: string, params: Readonly<Record<string, unknown>>): Messages {
  const m = catalogue[code] ?? { 'zh-CN': code, en: code };
  return { 'zh-CN': fillMessage(m['zh-CN'], params, 'zh-CN'), en: fillMessage(m.en, params, 'en') };
}
