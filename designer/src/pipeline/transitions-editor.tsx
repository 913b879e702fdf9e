import { Checkbox, Segmented, Typography } from 'antd';
import { labelOf, type Lang } from '@crm/ui';
import { tr } from '../shell/i18n.js';
import type { DocIssue } from '../state/issues.js';
import type { FieldBody, PipelineBody } from '../model.js';
import { allowedMoves, setTransitionMode, toggleTransition, transitionMode, type TransitionMode } from './pipeline-ops.js';

const MODES: [TransitionMode, string, string, string, string][] = [
  ['any', '任意流转', 'Any move', '记录可以在任意两个阶段之间移动。', 'Records may move between any two stages.'],
  ['forward-one-or-any-outcome', '逐级推进', 'Forward one', '每次前进一个阶段，可退回之前的进行中阶段，随时可直接赢单或输单。', 'One stage forward at a time, back to any earlier open stage, or straight to an outcome.'],
  ['explicit', '自定义', 'Explicit', '在下表中勾选允许的“从 → 到”。', 'Tick the allowed "from → to" moves below.'],
];

/**
 * How records may move between stages. The presets show their moves in the
 * same matrix, read-only; switching to explicit starts from those moves.
 */
export function TransitionsEditor(p: { pipeline: PipelineBody; field: FieldBody; issues: readonly DocIssue[]; setPipeline: (fn: (x: PipelineBody) => PipelineBody) => void; lang: Lang }) {
  const { lang, pipeline } = p;
  const mode = transitionMode(pipeline.transitions);
  const matrix = allowedMoves(pipeline);
  const name = (key: string) => labelOf(p.field.options?.find((o) => o.key === key)?.label, lang) || key;
  const editable = mode === 'explicit';
  const cell = { padding: '4px 8px', borderBottom: '1px solid #f0f0f0', textAlign: 'center' as const, whiteSpace: 'nowrap' as const };
  const described = MODES.find((m) => m[0] === mode)!;
  return (
    <div style={{ background: '#fff', borderRadius: 8, padding: 16, border: '1px solid #eee', marginTop: 16 }} data-testid="transitions">
      <div style={{ display: 'flex', alignItems: 'center', gap: 12, flexWrap: 'wrap' }}>
        <Typography.Text strong>{tr(lang, '阶段流转', 'Stage moves')}</Typography.Text>
        <Segmented value={mode} data-testid="transitions-mode" onChange={(m) => p.setPipeline((x) => setTransitionMode(x, m as TransitionMode))}
          options={MODES.map(([value, zh, en]) => ({ value, label: tr(lang, zh, en) }))} />
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>{tr(lang, described[3], described[4])}</Typography.Text>
      </div>
      {p.issues.length > 0 && <div className="issue-text" style={{ marginTop: 8 }}>{p.issues.map((i) => i.message).join('；')}</div>}
      <div style={{ overflowX: 'auto', marginTop: 12 }}>
        <table style={{ borderCollapse: 'collapse', fontSize: 13 }} data-testid="transition-matrix">
          <thead>
            <tr>
              <th style={{ ...cell, textAlign: 'left', color: '#888', fontWeight: 400 }}>{tr(lang, '从 ＼ 到', 'from \\ to')}</th>
              {pipeline.stages.map((s) => <th key={s.id} style={{ ...cell, fontWeight: 500 }}>{name(s.key)}</th>)}
            </tr>
          </thead>
          <tbody>
            {pipeline.stages.map((from) => (
              <tr key={from.id}>
                <th style={{ ...cell, textAlign: 'left', fontWeight: 500 }}>{name(from.key)}</th>
                {pipeline.stages.map((to) => (
                  <td key={to.id} style={{ ...cell, background: from.id === to.id ? '#fafafa' : undefined }}>
                    {from.id === to.id ? <span style={{ color: '#ccc' }}>—</span> : (
                      <Checkbox checked={matrix.get(from.key)?.has(to.key) ?? false} disabled={!editable} data-testid={`transition-${from.key}-${to.key}`}
                        aria-label={`${name(from.key)} → ${name(to.key)}`}
                        onChange={() => p.setPipeline((x) => toggleTransition(x, from.key, to.key))} />
                    )}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
