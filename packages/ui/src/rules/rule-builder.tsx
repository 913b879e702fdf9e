import { Button, Input, InputNumber, Select, Space, Typography } from 'antd';
import { useMemo } from 'react';
import { fieldTypes, fillMessage, isFieldType, ruleSchemaFor } from '@crm/metadata';
import { validate, ruleMessages } from '@crm/rules';
import { labelOf, type Lang } from '@crm/ui';
import { builderOps, emptyGroup, fromLogic, takesOperand, toLogic, updateAt, type BuilderOp, type CondNode, type GroupNode, type Operand, type RuleNode } from './rule-model.js';

export interface RuleField {
  key: string;
  type: string;
  label: { 'zh-CN'?: string; en?: string };
  archived?: boolean;
  options?: { key: string; label: { 'zh-CN'?: string; en?: string }; active?: boolean }[];
  /** A system column offered as a field (owner, created at): rules read it, but it has no value "before the change". */
  system?: boolean;
  [k: string]: unknown;
}

const OP_LABEL: Record<BuilderOp, [string, string]> = {
  '==': ['等于', 'is'], '!=': ['不等于', 'is not'], '<': ['小于', 'less than'], '<=': ['不大于', 'at most'], '>': ['大于', 'greater than'], '>=': ['不小于', 'at least'],
  in: ['属于', 'is one of'], notIn: ['不属于', 'is none of'], contains: ['包含', 'contains'], notContains: ['不包含', 'does not contain'],
  startsWith: ['开头是', 'starts with'], isEmpty: ['为空', 'is empty'], notEmpty: ['不为空', 'is not empty'],
};
const t = (lang: Lang, zh: string, en: string) => (lang === 'en' ? en : zh);

/**
 * Rows of "field · operator · value" in and/or groups, writing the shared
 * condition language. The rule is checked in the browser with the same
 * validator the server runs, so a bad row is marked before it is saved.
 */
export function RuleBuilder(p: { fields: readonly RuleField[]; ownership?: string; value: unknown; onChange: (logic: unknown) => void; lang: Lang; testId?: string; previous?: boolean }) {
  const root = useMemo(() => fromLogic(p.value), [p.value]);
  const current = p.fields.filter((f) => !f.archived && isFieldType(f.type) && fieldTypes[f.type].valueKind(f as never) !== null);
  // Automations also read the values before the change: `$previous.<field>` rows, named "<field> (previous)".
  const live = p.previous ? [...current, ...current.filter((f) => !f.system).map((f) => ({ ...f, key: `$previous.${f.key}`, label: previousLabel(f.label) }))] : current;
  const issues = useMemo(() => {
    if (p.value === undefined || p.value === null) return [];
    const schema = ruleSchemaFor({ ownership: p.ownership, fields: p.fields as never }, { previous: p.previous });
    return validate(p.value, schema).map((i) => fillMessage(ruleMessages[i.code][p.lang], i.params ?? {}, p.lang));
  }, [p.value, p.fields, p.ownership, p.lang, p.previous]);
  const set = (next: GroupNode) => p.onChange(toLogic(next));
  return (
    <div className="rule-builder" data-testid={p.testId}>
      <Group node={root} path={[]} root={root} fields={live} lang={p.lang} set={set} depth={0} />
      {issues.length > 0 && <Typography.Text type="danger" data-testid="rule-issues">{issues.join('；')}</Typography.Text>}
    </div>
  );
}

const previousLabel = (l: RuleField['label']): RuleField['label'] => ({
  'zh-CN': `${l['zh-CN'] ?? l.en ?? ''}（变化前）`, en: `${l.en ?? l['zh-CN'] ?? ''} (before the change)`,
});

function Group(p: { node: GroupNode; path: number[]; root: GroupNode; fields: RuleField[]; lang: Lang; set: (g: GroupNode) => void; depth: number }) {
  const { lang } = p;
  const change = (fn: (n: RuleNode) => RuleNode | null, path = p.path) => p.set(updateAt(p.root, path, fn));
  const first = p.fields[0];
  const addCond = () => first && change((n) => (n.type === 'group' ? { ...n, children: [...n.children, newCond(first)] } : n));
  const addGroup = () => change((n) => (n.type === 'group' ? { ...n, children: [...n.children, { ...emptyGroup(n.combinator === 'and' ? 'or' : 'and'), children: first ? [newCond(first)] : [] }] } : n));
  return (
    <div className={p.depth ? 'rule-group rule-group-nested' : 'rule-group'}>
      <Space size={6} style={{ marginBottom: 6 }}>
        <Select size="small" value={p.node.combinator} style={{ width: 150 }} onChange={(v) => change((n) => ({ ...(n as GroupNode), combinator: v }))}
          options={[{ value: 'and', label: t(lang, '满足以下全部条件', 'all of') }, { value: 'or', label: t(lang, '满足以下任一条件', 'any of') }]} />
        {p.depth > 0 && <Button size="small" type="text" onClick={() => change(() => null)}>{t(lang, '删除条件组', 'Remove group')}</Button>}
      </Space>
      {p.node.children.map((c, i) => {
        const path = [...p.path, i];
        if (c.type === 'group') return <Group key={i} {...p} node={c} path={path} depth={p.depth + 1} />;
        if (c.type === 'raw') return (
          <div key={i} className="rule-row">
            <code style={{ flex: 1 }}>{JSON.stringify(c.logic)}</code>
            <Button size="small" type="text" onClick={() => change(() => null, path)}>✕</Button>
          </div>
        );
        return <Cond key={i} node={c} fields={p.fields} lang={lang} onChange={(n) => change(() => n, path)} />;
      })}
      <Space size={6}>
        <Button size="small" onClick={addCond} disabled={!first} data-testid="rule-add">{t(lang, '+ 条件', '+ Condition')}</Button>
        {p.depth < 3 && <Button size="small" type="dashed" onClick={addGroup} disabled={!first}>{t(lang, '+ 条件组', '+ Group')}</Button>}
      </Space>
    </div>
  );
}

const newCond = (f: RuleField): CondNode => {
  const ops = builderOps(isFieldType(f.type) ? fieldTypes[f.type].operators : []);
  const op = ops.includes('==') ? '==' : ops[0] ?? 'isEmpty';
  return { type: 'cond', field: f.key, op, ...(takesOperand(op) ? { operand: defaultOperand(f, op) } : {}) };
};

function defaultOperand(f: RuleField, op: BuilderOp): Operand {
  if (op === 'in' || op === 'notIn') return { kind: 'value', value: [] };
  if (f.type === 'boolean') return { kind: 'value', value: true };
  if (f.type === 'select' || f.type === 'multiselect') return { kind: 'value', value: f.options?.find((o) => o.active !== false)?.key ?? '' };
  if (f.type === 'integer') return { kind: 'value', value: 0 };
  if (f.type === 'date' || f.type === 'datetime') return { kind: 'daysAgo', days: 7 };
  if (f.type === 'user') return { kind: 'currentUser' };
  return { kind: 'value', value: '' };
}

function Cond(p: { node: CondNode; fields: RuleField[]; lang: Lang; onChange: (n: CondNode | null) => void }) {
  const { node, lang } = p;
  const field = p.fields.find((f) => f.key === node.field);
  const ops = field && isFieldType(field.type) ? builderOps(fieldTypes[field.type].operators) : [node.op];
  return (
    <div className="rule-row" data-testid={`rule-row-${node.field}`}>
      <Select size="small" showSearch optionFilterProp="label" style={{ width: 160 }} value={node.field}
        status={field ? undefined : 'error'}
        onChange={(key) => { const f = p.fields.find((x) => x.key === key)!; p.onChange(newCond(f)); }}
        options={p.fields.map((f) => ({ value: f.key, label: labelOf(f.label, lang) || f.key }))} />
      <Select size="small" style={{ width: 110 }} value={node.op}
        onChange={(op: BuilderOp) => p.onChange({ type: 'cond', field: node.field, op, ...(takesOperand(op) ? { operand: field ? defaultOperand(field, op) : { kind: 'value', value: '' } } : {}) })}
        options={ops.map((o) => ({ value: o, label: OP_LABEL[o][lang === 'en' ? 1 : 0] }))} />
      {takesOperand(node.op) && field && <OperandInput field={field} op={node.op} value={node.operand} lang={lang} onChange={(operand) => p.onChange({ ...node, operand })} />}
      <Button size="small" type="text" onClick={() => p.onChange(null)} aria-label={t(lang, '删除条件', 'Remove condition')}>✕</Button>
    </div>
  );
}

function OperandInput(p: { field: RuleField; op: BuilderOp; value: Operand | undefined; lang: Lang; onChange: (o: Operand) => void }) {
  const { field, lang } = p;
  const v = p.value?.kind === 'value' ? p.value.value : undefined;
  const setValue = (value: unknown) => p.onChange({ kind: 'value', value });
  const options = (field.options ?? []).map((o) => ({ value: o.key, label: labelOf(o.label, lang) || o.key }));
  if (p.op === 'in' || p.op === 'notIn') {
    return options.length
      ? <Select size="small" mode="multiple" style={{ minWidth: 200 }} value={Array.isArray(v) ? v : []} onChange={setValue} options={options} />
      : <Select size="small" mode="tags" style={{ minWidth: 200 }} value={Array.isArray(v) ? v : []} onChange={setValue} open={false} />;
  }
  if (options.length) return <Select size="small" style={{ width: 160 }} value={v as string} onChange={setValue} options={options} />;
  if (field.type === 'boolean') return <Select size="small" style={{ width: 90 }} value={v === true ? 'true' : 'false'} onChange={(x) => setValue(x === 'true')} options={[{ value: 'true', label: t(lang, '是', 'yes') }, { value: 'false', label: t(lang, '否', 'no') }]} />;
  if (field.type === 'integer') return <InputNumber size="small" precision={0} value={typeof v === 'number' ? v : null} onChange={(x) => setValue(x ?? 0)} />;
  if (field.type === 'date' || field.type === 'datetime') {
    const mode = p.value?.kind ?? 'daysAgo';
    const days = p.value && 'days' in p.value ? p.value.days : 0;
    return (
      <Space.Compact size="small">
        <Select size="small" style={{ width: 110 }} value={mode === 'value' ? 'value' : mode}
          onChange={(m) => p.onChange(m === 'value' ? { kind: 'value', value: '' } : { kind: m as 'daysAgo' | 'daysFromNow', days })}
          options={[{ value: 'daysAgo', label: t(lang, '天前', 'days ago') }, { value: 'daysFromNow', label: t(lang, '天后', 'days from now') }, { value: 'value', label: t(lang, '指定日期', 'on date') }]} />
        {mode === 'value'
          ? <Input size="small" style={{ width: 150 }} type={field.type === 'date' ? 'date' : 'datetime-local'} value={typeof v === 'string' ? v.replace(/:\d\d(\.\d+)?Z$/, '') : ''}
              onChange={(e) => setValue(field.type === 'date' ? e.target.value : e.target.value ? `${e.target.value}:00Z` : '')} />
          : <InputNumber size="small" min={0} max={36500} precision={0} value={days} onChange={(d) => p.onChange({ kind: mode as 'daysAgo' | 'daysFromNow', days: d ?? 0 })} />}
      </Space.Compact>
    );
  }
  if (field.type === 'user') return <Select size="small" style={{ width: 130 }} value="me" options={[{ value: 'me', label: t(lang, '当前用户', 'current user') }]} onChange={() => p.onChange({ kind: 'currentUser' })} />;
  return <Input size="small" style={{ width: 180 }} value={typeof v === 'string' ? v : ''} onChange={(e) => setValue(e.target.value)} />;
}
