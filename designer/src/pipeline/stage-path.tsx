import { labelOf, type Lang } from '@crm/ui';
import { tr } from '../shell/i18n.js';
import type { FieldBody, OptionBody } from '../model.js';
import type { PipelineBody } from '../model.js';
import type { Stage } from './pipeline-ops.js';

const DEFAULT_COLOR = '#8c8c8c';
/** Colours offered for stages (antd's palette); a new stage takes the first one no stage uses. */
export const STAGE_COLORS = ['#8c8c8c', '#1677ff', '#13c2c2', '#722ed1', '#fa8c16', '#faad14', '#eb2f96', '#2f54eb', '#52c41a', '#f5222d'];
export const freeColor = (used: readonly (string | undefined)[]): string | undefined =>
  STAGE_COLORS.find((c) => !used.some((u) => u?.toLowerCase() === c));
export const stageColor = (s: Pick<Stage, 'color'>, o?: Pick<OptionBody, 'color'>): string => s.color ?? o?.color ?? DEFAULT_COLOR;

/** White or dark text, whichever reads better on the stage colour. */
function ink(hex: string): string {
  const n = parseInt(hex.slice(1), 16);
  const [r, g, b] = [(n >> 16) & 255, (n >> 8) & 255, n & 255];
  return 0.299 * r + 0.587 * g + 0.114 * b > 170 ? '#1f2937' : '#fff';
}

/**
 * The path a record travels: open stages as chevrons in order, outcomes
 * (won / lost) apart at the end. Clicking a stage selects it for editing.
 */
export function StagePath(p: { pipeline: PipelineBody; field: FieldBody; selected?: string; onSelect: (id: string) => void; lang: Lang }) {
  const { lang } = p;
  const open = p.pipeline.stages.filter((s) => !s.outcome);
  const outcomes = p.pipeline.stages.filter((s) => s.outcome);
  const option = (s: Stage) => p.field.options?.find((o) => o.id === s.id);
  const chip = (s: Stage, shape: 'chevron' | 'pill', i: number) => {
    const o = option(s);
    const bg = stageColor(s, o);
    const first = i === 0;
    const clip = shape === 'pill' ? undefined
      : first ? 'polygon(0 0, calc(100% - 14px) 0, 100% 50%, calc(100% - 14px) 100%, 0 100%)'
        : 'polygon(0 0, calc(100% - 14px) 0, 100% 50%, calc(100% - 14px) 100%, 0 100%, 14px 50%)';
    const selected = s.id === p.selected;
    return (
      <div key={s.id} onClick={() => p.onSelect(s.id)} data-testid={`path-${s.key}`} data-selected={selected || undefined}
        style={{ flex: shape === 'pill' ? '0 0 auto' : '1 1 0', minWidth: 0, cursor: 'pointer', paddingBottom: 5, borderBottom: `3px solid ${selected ? bg : 'transparent'}`, marginLeft: first || shape === 'pill' ? 0 : -8 }}>
        <div style={{
          background: bg, color: ink(bg), clipPath: clip, borderRadius: shape === 'pill' ? 18 : first ? '6px 0 0 6px' : undefined,
          padding: shape === 'pill' ? '6px 16px' : `6px 20px 6px ${first ? 12 : 24}px`, height: 48, display: 'flex', flexDirection: 'column', justifyContent: 'center',
          opacity: o?.active === false ? 0.45 : 1, fontWeight: selected ? 600 : 400,
        }}>
          <div style={{ whiteSpace: 'nowrap', overflow: 'hidden', textOverflow: 'ellipsis', textDecoration: o?.active === false ? 'line-through' : undefined }}>
            {labelOf(o?.label, lang) || s.key}
          </div>
          <div style={{ fontSize: 11, opacity: 0.9, whiteSpace: 'nowrap' }}>
            {s.probability}%{s.gate ? ` · ${tr(lang, '有门槛', 'gated')}` : ''}
          </div>
        </div>
      </div>
    );
  };
  return (
    <div style={{ display: 'flex', alignItems: 'flex-end', gap: 16, background: '#fff', borderRadius: 8, padding: '12px 14px 8px', border: '1px solid #eee' }} data-testid="stage-path">
      <div style={{ display: 'flex', flex: 1, minWidth: 0 }}>{open.map((s, i) => chip(s, 'chevron', i))}</div>
      {outcomes.length > 0 && (
        <div style={{ display: 'flex', gap: 8, alignItems: 'flex-end', borderLeft: '1px dashed #d9d9d9', paddingLeft: 16 }}>
          {outcomes.map((s, i) => chip(s, 'pill', i))}
        </div>
      )}
    </div>
  );
}
