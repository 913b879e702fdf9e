import { Button, Input, Select } from 'antd';
import { useState } from 'react';
import type { Lang } from '@crm/ui';
import { tr } from '../shell/i18n.js';
import type { MemberName } from './use-workspace.js';
import type { VarOption } from './variables.js';

type Recipient = 'owner' | 'owner_manager' | 'trigger_user' | { user: string } | { email: string } | { var: string };
type Who = 'owner' | 'owner_manager' | 'trigger_user' | 'user' | 'email' | 'var';

const WHO: [Who, string, string][] = [
  ['owner', '记录负责人', 'Record owner'], ['owner_manager', '负责人的上级', "Owner's manager"], ['trigger_user', '触发的成员', 'Who triggered it'],
  ['user', '指定成员', 'A member'], ['email', '邮箱地址', 'An email address'], ['var', '变量', 'A variable'],
];

export const whoOf = (r: unknown): Who => (typeof r === 'string' ? (r as Who) : r && typeof r === 'object' ? (Object.keys(r)[0] as Who) : 'owner');

/** The first value of a kind of recipient (a member or a variable still to be picked has none). */
function startOf(who: Who, members: readonly MemberName[] | undefined): Recipient | null {
  if (who === 'user') return members?.[0] ? { user: members[0].id } : null;
  if (who === 'email' || who === 'var') return null;
  return who;
}

/** One recipient: a role (owner, owner's manager, who triggered it), a member, an email address, or a variable holding a user id or an email. */
export function RecipientInput(p: { value: unknown; onChange: (r: Recipient) => void; members: readonly MemberName[] | undefined; vars: readonly VarOption[]; lang: Lang; testId: string; ownerless?: boolean }) {
  const { lang } = p;
  const [who, setWho] = useState<Who>(() => whoOf(p.value));
  const v = (p.value ?? {}) as Record<string, string>;
  const [email, setEmail] = useState(typeof v.email === 'string' ? v.email : '');
  const choose = (w: Who) => {
    setWho(w);
    const start = startOf(w, p.members);
    if (start) p.onChange(start);
  };
  const emailOk = /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email);
  return (
    <div className="flow-recipient" data-testid={p.testId}>
      <Select size="small" value={who} style={{ width: 140 }} onChange={choose} data-testid={`${p.testId}-who`}
        options={WHO.filter(([w]) => !p.ownerless || (w !== 'owner' && w !== 'owner_manager')).map(([w, zh, en]) => ({ value: w, label: tr(lang, zh, en) }))} />
      {who === 'user' && (
        <Select size="small" showSearch optionFilterProp="label" style={{ flex: 1, minWidth: 140 }} value={v.user} data-testid={`${p.testId}-user`}
          placeholder={tr(lang, '选择成员', 'Pick a member')} onChange={(id: string) => p.onChange({ user: id })}
          options={(p.members ?? []).filter((m) => m.status !== 'inactive' || m.id === v.user).map((m) => ({ value: m.id, label: m.name }))} />
      )}
      {who === 'email' && (
        <Input size="small" style={{ flex: 1 }} value={email} placeholder="name@example.com" status={email && !emailOk ? 'error' : undefined} data-testid={`${p.testId}-email`}
          onChange={(e) => { setEmail(e.target.value.trim()); if (/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(e.target.value.trim())) p.onChange({ email: e.target.value.trim() }); }} />
      )}
      {who === 'var' && (
        <Select size="small" showSearch optionFilterProp="label" style={{ flex: 1, minWidth: 160 }} value={v.var} data-testid={`${p.testId}-var`}
          placeholder={tr(lang, '用户或邮箱字段', 'A user or email field')} onChange={(name: string) => p.onChange({ var: name })}
          options={p.vars.filter((x) => x.type === 'user' || x.type === 'text' || x.type === 'list').map((x) => ({ value: x.name, label: `${x.label[lang === 'en' ? 1 : 0]} (${x.name})` }))} />
      )}
    </div>
  );
}

/** Several recipients: rows to add and remove (at least one stays). */
export function RecipientsEditor(p: { value: unknown; onChange: (rs: Recipient[]) => void; members: readonly MemberName[] | undefined; vars: readonly VarOption[]; lang: Lang; testId: string; ownerless?: boolean }) {
  const list = (Array.isArray(p.value) ? p.value : []) as Recipient[];
  const [keys, setKeys] = useState(() => list.map((_, i) => i));
  const rows = keys.length === list.length ? keys : list.map((_, i) => i);
  return (
    <div className="flow-recipients" data-testid={p.testId}>
      {list.map((r, i) => (
        <div key={rows[i]} className="flow-recipients-row">
          <RecipientInput value={r} members={p.members} vars={p.vars} lang={p.lang} testId={`${p.testId}-${i}`} ownerless={p.ownerless}
            onChange={(x) => p.onChange(list.map((y, j) => (j === i ? x : y)))} />
          <Button size="small" type="text" disabled={list.length <= 1} onClick={() => { p.onChange(list.filter((_, j) => j !== i)); setKeys(rows.filter((_, j) => j !== i)); }}
            data-testid={`${p.testId}-${i}-remove`}>✕</Button>
        </div>
      ))}
      <Button size="small" type="dashed" data-testid={`${p.testId}-add`} disabled={list.length >= 20}
        onClick={() => { p.onChange([...list, 'trigger_user']); setKeys([...rows, Math.max(-1, ...rows) + 1]); }}>
        {tr(p.lang, '+ 收件人', '+ Recipient')}
      </Button>
    </div>
  );
}
