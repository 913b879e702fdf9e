import { useDraggable, useDroppable } from '@dnd-kit/core';
import { Typography } from 'antd';
import { STEP_KINDS, type StepKind } from '@crm/metadata';
import type { Lang } from '@crm/ui';
import { tr } from '../shell/i18n.js';
import { PALETTE_DND_ID, type FlowDragData } from './flow-dnd.js';
import { PALETTE_GROUPS, STEP_INFO } from './step-kinds.js';

/** Every step kind, grouped: drag one into any gap of the canvas, or click it to add it after the selected step. */
export function Palette(p: { lang: Lang; onAdd: (kind: StepKind) => void }) {
  const { lang } = p;
  const { setNodeRef } = useDroppable({ id: PALETTE_DND_ID });
  return (
    <div ref={setNodeRef} className="flow-palette" data-testid="flow-palette">
      <Typography.Text strong>{tr(lang, '步骤', 'Steps')}</Typography.Text>
      <Typography.Paragraph type="secondary" style={{ fontSize: 12, margin: '2px 0 8px' }}>
        {tr(lang, '拖到画布上的任意位置，或点击添加到所选步骤之后', 'Drag onto the canvas, or click to add after the selected step')}
      </Typography.Paragraph>
      {PALETTE_GROUPS.map(([group, zh, en]) => (
        <div key={group} className="flow-palette-group">
          <div className="flow-palette-title">{tr(lang, zh, en)}</div>
          {STEP_KINDS.filter((k) => STEP_INFO[k].group === group).map((k) => <Chip key={k} kind={k} lang={lang} onAdd={p.onAdd} />)}
        </div>
      ))}
    </div>
  );
}

function Chip(p: { kind: StepKind; lang: Lang; onAdd: (kind: StepKind) => void }) {
  const info = STEP_INFO[p.kind];
  const name = tr(p.lang, ...info.name);
  const { attributes, listeners, setNodeRef, isDragging } = useDraggable({
    id: `palette:${p.kind}`, data: { source: { kind: 'new', stepKind: p.kind }, label: name } satisfies FlowDragData,
  });
  return (
    <div ref={setNodeRef} {...listeners} {...attributes} className={`flow-chip${isDragging ? ' is-dragging' : ''}`} data-testid={`palette-step-${p.kind}`}
      onClick={() => p.onAdd(p.kind)} title={tr(p.lang, ...info.description)}>
      <span className="flow-kind-icon" style={{ background: info.color }}>{info.icon}</span>
      <span className="flow-chip-text">
        <span className="flow-chip-name">{name}</span>
        <span className="flow-chip-desc">{tr(p.lang, ...info.description)}</span>
      </span>
    </div>
  );
}
