import { Button, Input, Select, Space, Tooltip } from 'antd';
import { useState } from 'react';
import { fieldTypes, isFieldType } from '@crm/metadata';
import { labelOf, type Lang, type UiField, type WidgetContext } from '@crm/ui';
import { tr } from '../shell/i18n.js';
import type { EntityBody, FieldBody } from '../model.js';
import { ValueInput } from './value-input.js';
import type { VarOption } from './variables.js';

/** Fields a step may write: live and not computed. */
export const writableFields = (e: EntityBody | undefined): FieldBody[] =>
  ((e?.fields ?? []) as FieldBody[]).filter((f) => !f.archived && isFieldType(f.type) && !fieldTypes[f.type].computed);

/** A field's first value when added to a step: its first option, "yes", or empty. */
export function startValue(f: FieldBody): unknown {
  if (f.type === 'select') return f.options?.find((o) => o.active !== false)?.key ?? null;
  if (f.type === 'boolean') return true;
  return null;
}

/**
 * Field -> value rows (`update_record`, `create_record`): add a row by picking
 * a field, then give its value (a literal, a variable or a template). Without
 * an entity (an HTTP body) the keys are free names.
 */
export function ValuesEditor(p: {
  value: Record<string, unknown> | undefined; onChange: (v: Record<string, unknown>) => void; entity?: EntityBody; freeKeys?: boolean;
  vars: readonly VarOption[]; lang: Lang; ctx: WidgetContext; issueAt: (key: string) => string | undefined; triggerInputs?: boolean; testId: string;
}) {
  const { lang } = p;
  const values = p.value ?? {};
  const fields = writableFields(p.entity);
  const byKey = new Map(fields.map((f) => [f.key, f]));
  const [newKey, setNewKey] = useState('');
  const set = (key: string, v: unknown) => p.onChange({ ...values, [key]: v });
  const remove = (key: string) => p.onChange(Object.fromEntries(Object.entries(values).filter(([k]) => k !== key)));
  const unused = fields.filter((f) => !(f.key in values));
  const keyOk = /^[a-z][a-z0-9_]{0,39}$/.test(newKey) && !(newKey in values);
  return (
    <div className="flow-values" data-testid={p.testId}>
      {Object.entries(values).map(([key, v]) => {
        const f = byKey.get(key);
        const issue = p.issueAt(key);
        return (
          <div key={key} className={`flow-values-row${issue ? ' has-issue' : ''}`} data-testid={`${p.testId}-row-${key}`}>
            <div className="flow-values-key">
              {p.freeKeys ? <code>{key}</code> : <span>{f ? labelOf(f.label, lang) : key}</span>}
              <Tooltip title={tr(lang, '移除', 'Remove')}><Button size="small" type="text" onClick={() => remove(key)} data-testid={`${p.testId}-remove-${key}`}>✕</Button></Tooltip>
            </div>
            <ValueInput value={v} onChange={(x) => set(key, x)} field={f as UiField | undefined} vars={p.vars} lang={lang} ctx={p.ctx}
              triggerInputs={p.triggerInputs} testId={`${p.testId}-${key}`} />
            {issue && <div className="issue-text">{issue}</div>}
          </div>
        );
      })}
      {p.freeKeys
        ? (
          <Space.Compact size="small">
            <Input size="small" placeholder={tr(lang, '键名，如 customer_id', 'Key, e.g. customer_id')} value={newKey} onChange={(e) => setNewKey(e.target.value.trim())}
              status={newKey && !keyOk ? 'error' : undefined} data-testid={`${p.testId}-new-key`} />
            <Button size="small" disabled={!keyOk} onClick={() => { set(newKey, ''); setNewKey(''); }}>{tr(lang, '+ 添加', '+ Add')}</Button>
          </Space.Compact>
        )
        : (
          <Select size="small" showSearch optionFilterProp="label" value={null} style={{ width: 220 }} placeholder={tr(lang, '+ 设置一个字段', '+ Set a field')}
            disabled={!unused.length} data-testid={`${p.testId}-add`} onChange={(key: string) => set(key, startValue(byKey.get(key)!))}
            options={unused.map((f) => ({ value: f.key, label: labelOf(f.label, lang) || f.key }))} />
        )}
    </div>
  );
}
