import { Input, InputNumber, Segmented, Select, Space } from 'antd';
import { useState } from 'react';
import { DURATION_UNITS, isFieldType } from '@crm/metadata';
import { inputs, type Lang, type UiField, type WidgetContext } from '@crm/ui';
import { tr } from '../shell/i18n.js';
import { CHOICE_LABELS } from './config-form.js';
import { TemplateInput } from './template-input.js';
import type { VarOption, VarType } from './variables.js';

export type ValueMode = 'literal' | 'var' | 'template' | 'now';

/** Which way a stored value expression is written. */
export function modeOf(v: unknown): ValueMode {
  if (v && typeof v === 'object' && !Array.isArray(v)) {
    if ('var' in v) return 'var';
    if ('template' in v) return 'template';
    if ('now' in v) return 'now';
  }
  return 'literal';
}

/** The variable types that fit a field (a relation takes a record id, a user field a person); undefined: any. */
export function fitting(field: UiField | undefined): VarType[] | undefined {
  if (field?.type === 'relation') return ['id'];
  if (field?.type === 'user') return ['user'];
  return undefined;
}

const MODES: [ValueMode, string, string][] = [['literal', '固定值', 'Value'], ['var', '变量', 'Variable'], ['template', '模板', 'Template'], ['now', '相对现在', 'From now']];

/**
 * One value a step computes: a literal typed with the runtime's own input
 * widget for the field, a variable from the picker, a `{{…}}` template, or a
 * time from now (date and time fields). Writes only complete expressions.
 */
export function ValueInput(p: {
  value: unknown; onChange: (v: unknown) => void; field?: UiField; vars: readonly VarOption[]; lang: Lang; ctx: WidgetContext;
  modes?: ValueMode[]; triggerInputs?: boolean; testId?: string;
}) {
  const { lang } = p;
  const dated = p.field && (p.field.type === 'date' || p.field.type === 'datetime');
  const modes = p.modes ?? (['literal', 'var', 'template', ...(dated ? ['now' as const] : [])] as ValueMode[]);
  const [mode, setMode] = useState<ValueMode>(() => modeOf(p.value));
  const types = fitting(p.field);
  const vars = types ? p.vars.filter((v) => types.includes(v.type)) : p.vars;
  const v = p.value as Record<string, any> | null;
  const switchTo = (m: ValueMode) => {
    setMode(m);
    if (m === 'literal') p.onChange(null);
    if (m === 'now') p.onChange({ now: { amount: 1, unit: 'days' } });
  };
  let editor;
  if (mode === 'var') {
    editor = (
      <Select size="small" showSearch optionFilterProp="label" style={{ minWidth: 200, flex: 1 }} value={typeof v?.var === 'string' ? v.var : undefined}
        placeholder={tr(lang, '选择变量', 'Pick a variable')} data-testid={p.testId && `${p.testId}-var`}
        onChange={(name: string) => p.onChange({ var: name })}
        options={vars.map((x) => ({ value: x.name, label: `${x.step ? `${x.step.label[lang === 'en' ? 1 : 0]} · ` : ''}${x.label[lang === 'en' ? 1 : 0]} (${x.name})` }))} />
    );
  } else if (mode === 'template') {
    editor = <TemplateInput value={typeof v?.template === 'string' ? v.template : undefined} lang={lang} vars={p.vars} triggerInputs={p.triggerInputs}
      onChange={(t) => t !== undefined && p.onChange({ template: t })} testId={p.testId && `${p.testId}-template`} />;
  } else if (mode === 'now') {
    const d = (v?.now ?? { amount: 1, unit: 'days' }) as { amount: number; unit: string };
    editor = (
      <Space.Compact size="small">
        <InputNumber size="small" precision={0} min={-3650} max={3650} value={d.amount} style={{ width: 90 }} onChange={(n) => p.onChange({ now: { ...d, amount: n ?? 0 } })} />
        <Select size="small" value={d.unit} style={{ width: 90 }} onChange={(unit) => p.onChange({ now: { ...d, unit } })}
          options={DURATION_UNITS.map((u) => ({ value: u, label: tr(lang, ...CHOICE_LABELS[u]!) }))} />
      </Space.Compact>
    );
  } else if (p.field && isFieldType(p.field.type)) {
    editor = <div style={{ flex: 1, minWidth: 160 }} data-testid={p.testId && `${p.testId}-literal`}>{inputs[p.field.type]({ field: p.field, value: modeOf(p.value) === 'literal' ? p.value : null, onChange: p.onChange, ctx: p.ctx })}</div>;
  } else {
    editor = <Input size="small" style={{ flex: 1 }} value={typeof p.value === 'string' ? p.value : p.value === null || p.value === undefined || typeof p.value === 'object' ? '' : String(p.value)}
      onChange={(e) => p.onChange(e.target.value)} data-testid={p.testId && `${p.testId}-literal`} />;
  }
  return (
    <div className="flow-value" data-testid={p.testId}>
      {modes.length > 1 && (
        <Segmented size="small" value={mode} onChange={(m) => switchTo(m as ValueMode)}
          options={MODES.filter(([m]) => modes.includes(m)).map(([m, zh, en]) => ({ value: m, label: <span data-testid={p.testId && `${p.testId}-mode-${m}`}>{tr(lang, zh, en)}</span> }))} />
      )}
      <div className="flow-value-editor">{editor}</div>
    </div>
  );
}
