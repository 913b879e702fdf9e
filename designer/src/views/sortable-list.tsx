import { closestCenter, DndContext, KeyboardSensor, PointerSensor, useSensor, useSensors, type DragEndEvent } from '@dnd-kit/core';
import { rectSortingStrategy, SortableContext, sortableKeyboardCoordinates, useSortable, verticalListSortingStrategy } from '@dnd-kit/sortable';
import { CSS } from '@dnd-kit/utilities';
import type { ReactNode } from 'react';

export interface SortableItem { id: string; content: ReactNode; testId?: string; selected?: boolean; onSelect?: () => void }

/**
 * A list reordered by dragging its handle (or with the keyboard: focus the
 * handle, space, arrows, space): rows one under the other, or compact chips
 * that wrap. Reports moves as indexes so the caller applies them with its
 * pure `move` operation.
 */
export function SortableList(p: { items: readonly SortableItem[]; onMove: (from: number, to: number) => void; testId?: string; dragLabel: string; layout?: 'rows' | 'chips' }) {
  const chips = p.layout === 'chips';
  const sensors = useSensors(
    useSensor(PointerSensor, { activationConstraint: { distance: 4 } }),
    useSensor(KeyboardSensor, { coordinateGetter: sortableKeyboardCoordinates }),
  );
  const onDragEnd = (e: DragEndEvent) => {
    if (!e.over || e.active.id === e.over.id) return;
    const from = p.items.findIndex((i) => i.id === e.active.id);
    const to = p.items.findIndex((i) => i.id === e.over!.id);
    if (from >= 0 && to >= 0) p.onMove(from, to);
  };
  return (
    <DndContext sensors={sensors} collisionDetection={closestCenter} onDragEnd={onDragEnd}>
      <SortableContext items={p.items.map((i) => i.id)} strategy={chips ? rectSortingStrategy : verticalListSortingStrategy}>
        <div data-testid={p.testId} style={chips ? { display: 'flex', flexWrap: 'wrap', gap: 6 } : { display: 'flex', flexDirection: 'column', gap: 4 }}>
          {p.items.map((i) => <Row key={i.id} item={i} dragLabel={p.dragLabel} chip={chips} />)}
        </div>
      </SortableContext>
    </DndContext>
  );
}

function Row(p: { item: SortableItem; dragLabel: string; chip: boolean }) {
  const { attributes, listeners, setNodeRef, transform, transition, isDragging } = useSortable({ id: p.item.id });
  return (
    <div ref={setNodeRef} data-testid={p.item.testId} data-sortable-id={p.item.id} onClick={p.item.onSelect}
      style={{
        transform: CSS.Translate.toString(transform), transition, display: p.chip ? 'inline-flex' : 'flex', alignItems: 'center', gap: 6,
        padding: p.chip ? '2px 4px 2px 0' : '4px 8px 4px 2px', borderRadius: 6, background: p.item.selected ? '#e6f4ff' : '#fff',
        border: `1px solid ${p.item.selected ? '#91caff' : '#e5e7eb'}`, opacity: isDragging ? 0.6 : 1,
        cursor: p.item.onSelect ? 'pointer' : undefined, position: 'relative', zIndex: isDragging ? 2 : undefined,
      }}>
      <span className="drag-handle" aria-label={p.dragLabel} {...attributes} {...listeners}>⋮⋮</span>
      <div style={{ flex: p.chip ? undefined : 1, minWidth: 0, display: 'flex', alignItems: 'center', gap: 6 }}>{p.item.content}</div>
    </div>
  );
}
