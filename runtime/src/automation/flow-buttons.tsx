import { App, Button, Dropdown } from 'antd';
import { useEffect, useState } from 'react';
import { ApiError, labelOf, type Label, type WidgetContext } from '@crm/ui';

interface FlowButton { flow: string; label: Label; button: Label; conditional: boolean }

/**
 * The manual automations the user may run on records of an entity: one
 * button each on a record page, a menu on a list selection. The server
 * checks the rights again for every id and starts one run per record.
 */
export function FlowButtons(p: { entity: string; ids: string[]; ctx: WidgetContext; menu?: boolean; onStarted?: () => void }) {
  const en = p.ctx.lang === 'en';
  const { message } = App.useApp();
  const [buttons, setButtons] = useState<FlowButton[]>([]);
  const [busy, setBusy] = useState<string | null>(null);
  useEffect(() => {
    p.ctx.api.get<{ data: FlowButton[] }>(`/api/w/${p.ctx.ws}/automation/buttons?entity=${p.entity}`).then((r) => setButtons(r.data), () => setButtons([]));
  }, [p.entity]);
  if (!buttons.length || !p.ids.length) return null;

  const run = async (b: FlowButton) => {
    setBusy(b.flow);
    try {
      const r = await p.ctx.api.send<{ data: { runs: unknown[]; skipped: unknown[] } }>('POST', `/api/w/${p.ctx.ws}/automation/flows/${b.flow}/run`, { entity: p.entity, ids: p.ids });
      const started = r.data.runs.length;
      const skipped = r.data.skipped.length;
      message.success(en ? `"${labelOf(b.button, 'en')}" started for ${started} record(s)${skipped ? `, ${skipped} skipped (condition)` : ''}`
        : `「${labelOf(b.button, 'zh-CN')}」已为 ${started} 条记录启动${skipped ? `，${skipped} 条不满足条件已跳过` : ''}`);
      p.onStarted?.();
    } catch (err) {
      message.error(err instanceof ApiError ? err.message : en ? 'Network error, try again' : '网络异常，请重试');
    } finally {
      setBusy(null);
    }
  };

  if (p.menu) {
    return (
      <Dropdown menu={{ items: buttons.map((b) => ({ key: b.flow, label: labelOf(b.button, p.ctx.lang), onClick: () => void run(b) })) }}>
        <Button loading={!!busy} data-testid="flow-buttons">{en ? 'Automations' : '自动化'}</Button>
      </Dropdown>
    );
  }
  return (
    <>
      {buttons.map((b) => (
        <Button key={b.flow} loading={busy === b.flow} onClick={() => void run(b)} data-testid={`flow-button-${b.flow}`} title={labelOf(b.label, p.ctx.lang)}>
          {labelOf(b.button, p.ctx.lang)}
        </Button>
      ))}
    </>
  );
}
