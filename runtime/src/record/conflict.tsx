import { Alert, Button, Space } from 'antd';
import { useEffect, useRef } from 'react';
import { labelOf, cells, type WidgetContext } from '@crm/ui';
import type { NavEntity } from '../types.js';

type Rec = Record<string, unknown>;
export interface Conflict { current: Rec; fields: string[] }

/**
 * Someone saved the record while this form was open (409 with the fields they
 * changed). Shows their values next to ours; the user keeps theirs (reload)
 * or saves ours over them on the new version. The form keeps what was typed.
 */
export function ConflictNotice(p: { conflict: Conflict; mine: Rec; entity: NavEntity; ctx: WidgetContext; onOverwrite: () => void; onTakeTheirs: () => void }) {
  const en = p.ctx.lang === 'en';
  const at = useRef<HTMLDivElement>(null);
  // The save button is at the bottom of a long form: bring the notice into view.
  useEffect(() => { at.current?.scrollIntoView({ block: 'nearest' }); }, [p.conflict]);
  const who = p.ctx.members?.find((m) => m.id === p.conflict.current.updated_by)?.name ?? (en ? 'Someone' : '其他人');
  const show = (key: string, v: unknown) => {
    const f = p.entity.fields.find((x) => x.key === key);
    return f && v !== null && v !== undefined ? cells[f.type]({ field: f, value: v, ctx: p.ctx }) : <span className="crm-empty">—</span>;
  };
  return (
    <div ref={at}><Alert type="warning" showIcon style={{ marginBottom: 12 }} data-testid="edit-conflict"
      title={en ? `${who} saved this record while you were editing it` : `${who} 在你编辑期间保存了这条记录`}
      description={
        <>
          <ul style={{ margin: '4px 0 8px 16px', padding: 0 }}>
            {p.conflict.fields.map((k) => {
              const f = p.entity.fields.find((x) => x.key === k);
              return (
                <li key={k} data-field={k}>
                  {f ? labelOf(f.label, p.ctx.lang) : k}：{en ? 'theirs ' : '对方 '}{show(k, p.conflict.current[k])}
                  {k in p.mine ? <>；{en ? 'yours ' : '你的 '}{show(k, p.mine[k])}</> : null}
                </li>
              );
            })}
          </ul>
          <Space>
            <Button size="small" type="primary" onClick={p.onOverwrite} data-testid="conflict-overwrite">{en ? 'Save mine over theirs' : '用我的修改覆盖'}</Button>
            <Button size="small" onClick={p.onTakeTheirs} data-testid="conflict-theirs">{en ? 'Discard mine, show theirs' : '放弃我的修改，查看最新'}</Button>
          </Space>
        </>
      } /></div>
  );
}
