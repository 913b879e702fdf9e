import { fieldTypes, type FieldType } from '@crm/metadata';

/**
 * The settings panel of a field type, generated from the type's settings
 * schema in the registry: a new type (or a new setting) gets a control
 * without touching the designer. Settings that name other metadata get a
 * picker instead of a text box.
 */
export type Control =
  | { name: string; kind: 'integer'; min?: number; max?: number; required: boolean }
  | { name: string; kind: 'boolean'; required: boolean }
  | { name: string; kind: 'choice'; choices: string[]; required: boolean }
  | { name: string; kind: 'text'; pattern?: string; maxLength?: number; required: boolean }
  | { name: string; kind: 'tags'; required: boolean }
  | { name: string; kind: 'options' | 'entity' | 'formula' | 'relationField' | 'targetField' | 'childEntity' | 'childRelation' | 'childField' | 'readonly'; required: boolean };

/** Settings that reference other metadata, per field type. */
const PICKERS: Partial<Record<FieldType, Record<string, Control['kind']>>> = {
  select: { options: 'options', pipeline: 'readonly' },
  multiselect: { options: 'options' },
  relation: { target: 'entity' },
  formula: { expression: 'formula' },
  lookup: { through: 'relationField', field: 'targetField' },
  rollup: { child: 'childEntity', via: 'childRelation', field: 'childField' },
};

interface JsonSchema { type?: string; enum?: string[]; minimum?: number; maximum?: number; pattern?: string; maxLength?: number; items?: JsonSchema; properties?: Record<string, JsonSchema>; required?: string[] }

export function controlsFor(type: FieldType): Control[] {
  const schema = fieldTypes[type].settings as unknown as JsonSchema;
  const required = new Set(schema.required ?? []);
  return Object.entries(schema.properties ?? {}).map(([name, s]): Control => {
    const req = required.has(name);
    const picker = PICKERS[type]?.[name];
    if (picker) return { name, kind: picker, required: req } as Control;
    if (s.enum) return { name, kind: 'choice', choices: s.enum, required: req };
    if (s.type === 'integer' || s.type === 'number') return { name, kind: 'integer', min: s.minimum, max: s.maximum, required: req };
    if (s.type === 'boolean') return { name, kind: 'boolean', required: req };
    if (s.type === 'array') return { name, kind: 'tags', required: req };
    return { name, kind: 'text', pattern: s.pattern, maxLength: s.maxLength, required: req };
  });
}

/** Names of settings and choices for people, zh-CN and en. */
export const SETTING_LABELS: Record<string, [string, string]> = {
  maxLength: ['最大长度', 'Max length'], precision: ['总位数', 'Precision'], scale: ['小数位', 'Decimals'], currency: ['币种', 'Currency'],
  min: ['最小值', 'Minimum'], max: ['最大值', 'Maximum'], target: ['关联到', 'Links to'], onDelete: ['被关联记录删除时', 'When the linked record is deleted'],
  pattern: ['编号格式', 'Number pattern'], expression: ['公式', 'Formula'], resultType: ['结果类型', 'Result type'],
  through: ['通过关联字段', 'Through relation'], field: ['取值字段', 'Field'], child: ['子对象', 'Child entity'], via: ['子对象的关联字段', 'Child relation'],
  aggregate: ['汇总方式', 'Aggregate'], maxFiles: ['最多文件数', 'Max files'], accept: ['允许的文件类型', 'Accepted types'],
  options: ['选项', 'Options'], pipeline: ['所属销售流程', 'Pipeline'], defaultRegion: ['默认国家/地区（如 CN）', 'Default region (e.g. CN)'],
};
export const CHOICE_LABELS: Record<string, [string, string]> = {
  restrict: ['禁止删除', 'Refuse the delete'], cascade: ['一并删除（可恢复）', 'Delete too (restorable)'], keep: ['保留并清空关联', 'Keep, clear the link'],
  count: ['计数', 'Count'], sum: ['求和', 'Sum'], min: ['最小值', 'Minimum'], max: ['最大值', 'Maximum'], text: ['文本', 'Text'], integer: ['整数', 'Integer'], decimal: ['小数', 'Decimal'], date: ['日期', 'Date'], boolean: ['是/否', 'Yes/no'],
};
