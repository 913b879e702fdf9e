import { Button, Space } from 'antd';
import { useState } from 'react';
import { RuleBuilder, type WidgetContext } from '@crm/ui';
import type { NavEntity } from '../types.js';

/** The list's filter: the shared rule builder, applied on demand (loaded when first opened). */
export function FilterPanel(p: { entity: NavEntity; ctx: WidgetContext; value: unknown; onApply: (f: unknown) => void }) {
  const [draft, setDraft] = useState<unknown>(p.value);
  const en = p.ctx.lang === 'en';
  return (
    <div style={{ width: 560, maxWidth: '90vw' }} data-testid="filter-panel">
      <RuleBuilder fields={p.entity.fields as never} ownership={p.entity.ownership} value={draft} onChange={setDraft} lang={p.ctx.lang} testId="list-filter" />
      <Space style={{ marginTop: 8 }}>
        <Button type="primary" size="small" onClick={() => p.onApply(draft)} data-testid="filter-apply">{en ? 'Apply' : '应用'}</Button>
        <Button size="small" onClick={() => { setDraft(undefined); p.onApply(undefined); }}>{en ? 'Clear' : '清除'}</Button>
      </Space>
    </div>
  );
}
