import { Alert, Button, Tag, Typography } from 'antd';
import { useState } from 'react';
import { labelOf } from '@crm/ui';
import { useDraft } from '../state/draft-context.js';
import { canonical, docKey } from '../state/documents.js';
import { tr } from '../shell/i18n.js';
import type { EntityBody, FieldBody, PipelineBody } from '../model.js';
import { stageColor } from './stage-path.js';

/** One gated stage as the server counts it (records service `gateFindings`). */
interface Finding { stage: string; count: number; samples: string[] }
interface Checked { findings: Finding[]; titles: Record<string, string>; pipeline: string; at: Date }

/**
 * Saves the draft, then asks the server how many published records sit in
 * each gated stage and would fail its (new) gate, with a few of them by
 * title: what tightening a gate means for work already under way.
 */
export function GateFindings(p: { pipeline: PipelineBody; entity: EntityBody; field: FieldBody }) {
  const d = useDraft();
  const { lang, api, ws } = d;
  const [busy, setBusy] = useState(false);
  const [checked, setChecked] = useState<Checked | null>(null);
  const [error, setError] = useState<string | null>(null);
  const published = d.published[docKey('entity', p.entity.id)]?.body as EntityBody | undefined;

  const check = async () => {
    setBusy(true);
    setError(null);
    try {
      if (!(await d.flush())) {
        setError(tr(lang, '草稿有未保存的问题，请先修正再检查。', 'The draft has unsaved problems: fix them, then check again.'));
        return;
      }
      const r = await api.get<{ data: Finding[] }>(`/api/w/${ws}/meta/draft/pipeline/${encodeURIComponent(p.pipeline.id)}/gate-findings`);
      const titles: Record<string, string> = {};
      if (published) {
        const ids = [...new Set(r.data.flatMap((f) => f.samples))];
        await Promise.all(ids.map(async (id) => {
          try {
            const rec = await api.get<{ data: Record<string, unknown> }>(`/api/w/${ws}/records/${published.key}/${id}`);
            titles[id] = String(rec.data[published.titleField] ?? '') || id.slice(0, 8);
          } catch {
            titles[id] = id.slice(0, 8);
          }
        }));
      }
      setChecked({ findings: r.data, titles, pipeline: canonical(p.pipeline), at: new Date() });
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };

  const stale = checked && checked.pipeline !== canonical(p.pipeline);
  const stageOf = (key: string) => p.pipeline.stages.find((s) => s.key === key);
  const optionOf = (key: string) => p.field.options?.find((o) => o.key === key);
  const fieldName = (key: string) => labelOf(p.entity.fields.find((f) => f.key === key)?.label, lang) || key;

  return (
    <div style={{ background: '#fff', borderRadius: 8, padding: 16, border: '1px solid #eee', marginTop: 16 }}>
      <div style={{ display: 'flex', alignItems: 'center', gap: 12, flexWrap: 'wrap' }}>
        <Typography.Text strong>{tr(lang, '门槛对现有记录的影响', 'Gates and existing records')}</Typography.Text>
        <Button onClick={() => void check()} loading={busy} data-testid="check-gates">{tr(lang, '检查现有记录', 'Check existing records')}</Button>
        {checked && (
          <Typography.Text type={stale ? 'warning' : 'secondary'} style={{ fontSize: 12 }}>
            {stale ? tr(lang, '门槛已修改，请重新检查', 'Gates changed since: check again') : tr(lang, `检查于 ${checked.at.toLocaleTimeString(lang)}`, `Checked at ${checked.at.toLocaleTimeString(lang)}`)}
          </Typography.Text>
        )}
      </div>
      {error && <Alert type="warning" style={{ marginTop: 10 }} title={error} />}
      {!published && <Typography.Paragraph type="secondary" style={{ marginTop: 8, marginBottom: 0 }}>{tr(lang, '对象尚未发布，还没有记录。', 'The entity is not published: no records yet.')}</Typography.Paragraph>}
      {checked && (
        <div data-testid="gate-findings" style={{ marginTop: 12, display: 'flex', flexDirection: 'column', gap: 8 }}>
          {!checked.findings.length && <Typography.Text type="secondary">{tr(lang, '没有设置门槛的阶段。', 'No stage has a gate.')}</Typography.Text>}
          {checked.findings.map((f) => {
            const s = stageOf(f.stage);
            const o = optionOf(f.stage);
            const required = s?.gate?.requiredFields ?? [];
            return (
              <div key={f.stage} data-testid={`gate-finding-${f.stage}`} data-count={f.count}
                style={{ display: 'flex', gap: 12, alignItems: 'flex-start', padding: '8px 10px', borderRadius: 6, background: f.count ? '#fff7e6' : '#f6ffed', border: `1px solid ${f.count ? '#ffd591' : '#b7eb8f'}` }}>
                <Tag color={s ? stageColor(s, o) : undefined} style={{ marginTop: 1 }}>{labelOf(o?.label, lang) || f.stage}</Tag>
                <div style={{ flex: 1 }}>
                  <div>
                    {f.count
                      ? <b>{tr(lang, `${f.count} 条记录处于此阶段但不满足门槛`, `${f.count} record(s) in this stage fail its gate`)}</b>
                      : <span>{tr(lang, '此阶段的记录都满足门槛', 'Every record in this stage meets the gate')}</span>}
                  </div>
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {[
                      required.length ? tr(lang, `必填：${required.map(fieldName).join('、')}`, `Required: ${required.map(fieldName).join(', ')}`) : '',
                      s?.gate?.rule ? tr(lang, '并满足条件', 'and the condition') : '',
                    ].filter(Boolean).join(tr(lang, '，', '; '))}
                  </Typography.Text>
                  {f.samples.length > 0 && (
                    <div style={{ marginTop: 4, display: 'flex', gap: 4, flexWrap: 'wrap', alignItems: 'center' }}>
                      <Typography.Text type="secondary" style={{ fontSize: 12 }}>{tr(lang, '例如：', 'For example:')}</Typography.Text>
                      {f.samples.map((id) => (
                        <a key={id} href={`/app/${ws}/${published?.key ?? p.entity.key}/${id}`} target="_blank" rel="noreferrer noopener">
                          <Tag style={{ cursor: 'pointer' }}>{checked.titles[id] ?? id.slice(0, 8)}</Tag>
                        </a>
                      ))}
                    </div>
                  )}
                </div>
              </div>
            );
          })}
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {tr(lang, '这些记录发布后仍会保留在原阶段；门槛只在记录进入阶段时检查。草稿中新增、尚未发布的字段不计入。',
              'These records stay where they are after publishing; a gate is checked only when a record enters the stage. Fields the draft adds are not counted yet.')}
          </Typography.Text>
        </div>
      )}
    </div>
  );
}
