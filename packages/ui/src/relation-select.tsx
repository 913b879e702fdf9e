import { Select } from 'antd';
import { useEffect, useState } from 'react';
import type { UiField, WidgetContext } from './widgets.js';

/** Picks a related record by searching its searchable fields; only records the user may see are offered. */
export function RelationSelect(p: { field: UiField; value: string | null; onChange: (v: unknown) => void; ctx: WidgetContext; disabled?: boolean }) {
  const [options, setOptions] = useState<{ value: string; label: string }[]>([]);
  const [q, setQ] = useState('');
  useEffect(() => {
    let live = true;
    const path = `/api/w/${p.ctx.ws}/records/${p.field.target}?limit=20${q ? `&q=${encodeURIComponent(q)}` : ''}`;
    p.ctx.api.get<{ data: Record<string, unknown>[]; title?: string }>(path).then((res) => {
      if (!live) return;
      const title = (r: Record<string, unknown>) => String(r.name ?? r.subject ?? r.number ?? r.id);
      const opts = res.data.map((r) => ({ value: String(r.id), label: title(r) }));
      if (p.value && !opts.some((o) => o.value === p.value)) opts.unshift({ value: p.value, label: p.ctx.titles?.[p.value] ?? p.value.slice(0, 8) });
      setOptions(opts);
    }).catch(() => setOptions([]));
    return () => { live = false; };
  }, [q, p.field.target, p.ctx.ws]);
  return (
    <Select showSearch allowClear style={{ width: '100%' }} disabled={p.disabled} value={p.value ?? undefined} filterOption={false}
      onSearch={setQ} onChange={(v) => p.onChange(v ?? null)} options={options} />
  );
}
