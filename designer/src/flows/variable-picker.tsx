import { Button, Empty, Input, Popover, Space, Typography } from 'antd';
import { useMemo, useState, type ReactNode } from 'react';
import type { Lang } from '@crm/ui';
import { tr } from '../shell/i18n.js';
import type { VarOption } from './variables.js';

const GROUPS: [VarOption['group'], string, string][] = [
  ['record', '触发记录的字段', 'Fields of the trigger record'], ['previous', '变化前的值', 'Values before the change'],
  ['steps', '前面步骤的输出', 'Outputs of earlier steps'], ['user', '其他', 'Other'],
];

/**
 * A searchable list of the variables readable here, grouped: the trigger
 * record's fields, their values before the change, earlier steps' outputs
 * (per step) and who triggered the run; webhooks and buttons add a free
 * `trigger.<key>`. Picks a name; the caller inserts it as `{var}` or `{{…}}`.
 */
export function VariablePicker(p: { vars: readonly VarOption[]; onPick: (name: string) => void; lang: Lang; triggerInputs?: boolean; children?: ReactNode; testId?: string }) {
  const [open, setOpen] = useState(false);
  const pick = (name: string) => { p.onPick(name); setOpen(false); };
  return (
    <Popover open={open} onOpenChange={setOpen} trigger="click" placement="bottomLeft" destroyOnHidden
      content={<VariableList vars={p.vars} lang={p.lang} onPick={pick} triggerInputs={p.triggerInputs} />}>
      {p.children ?? <Button size="small" data-testid={p.testId ?? 'insert-var'}>{tr(p.lang, '{x} 插入变量', '{x} Insert variable')}</Button>}
    </Popover>
  );
}

export function VariableList(p: { vars: readonly VarOption[]; lang: Lang; onPick: (name: string) => void; triggerInputs?: boolean }) {
  const { lang } = p;
  const [q, setQ] = useState('');
  const [input, setInput] = useState('');
  const shown = useMemo(() => {
    const needle = q.trim().toLowerCase();
    return needle ? p.vars.filter((v) => v.name.toLowerCase().includes(needle) || v.label.some((l) => l.toLowerCase().includes(needle))) : p.vars;
  }, [p.vars, q]);
  const name = (v: VarOption) => v.label[lang === 'en' ? 1 : 0];
  const item = (v: VarOption) => (
    <div key={v.name} className="flow-var" role="button" tabIndex={0} data-testid={`var-${v.name}`}
      onClick={() => p.onPick(v.name)} onKeyDown={(e) => { if (e.key === 'Enter') p.onPick(v.name); }}>
      <span>{name(v)}</span><code>{v.name}</code>
    </div>
  );
  const inputKey = /^[a-z][a-z0-9_]{0,39}$/.test(input);
  return (
    <div className="flow-var-list" data-testid="var-list">
      <Input size="small" allowClear autoFocus placeholder={tr(lang, '搜索变量', 'Search variables')} value={q} onChange={(e) => setQ(e.target.value)} />
      <div className="flow-var-scroll">
        {!shown.length && <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={tr(lang, '没有可用的变量', 'No variables')} />}
        {GROUPS.map(([g, zh, en]) => {
          const vs = shown.filter((v) => v.group === g);
          if (!vs.length) return null;
          if (g !== 'steps') return <div key={g}><div className="flow-var-group">{tr(lang, zh, en)}</div>{vs.map(item)}</div>;
          const steps = [...new Set(vs.map((v) => v.step!.id))];
          return (
            <div key={g}>
              <div className="flow-var-group">{tr(lang, zh, en)}</div>
              {steps.map((id) => {
                const mine = vs.filter((v) => v.step!.id === id);
                return <div key={id}><div className="flow-var-step">{mine[0]!.step!.label[lang === 'en' ? 1 : 0]} <code>{id}</code></div>{mine.map(item)}</div>;
              })}
            </div>
          );
        })}
      </div>
      {p.triggerInputs && (
        <div style={{ borderTop: '1px solid #f0f0f0', paddingTop: 6 }}>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>{tr(lang, '触发时传入的值（Webhook 内容 / 按钮参数）', 'A value the webhook or button passes in')}</Typography.Text>
          <Space.Compact size="small" style={{ width: '100%' }}>
            <Input size="small" prefix="trigger." value={input} onChange={(e) => setInput(e.target.value.trim())} status={input && !inputKey ? 'error' : undefined} data-testid="var-trigger-key" />
            <Button size="small" disabled={!inputKey} onClick={() => p.onPick(`trigger.${input}`)}>{tr(lang, '插入', 'Insert')}</Button>
          </Space.Compact>
        </div>
      )}
    </div>
  );
}
