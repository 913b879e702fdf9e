import { closestCorners, pointerWithin, type ClientRect, type CollisionDetection } from '@dnd-kit/core';
import type { DragSource, DropTarget } from './layout-ops.js';

/**
 * The drag and drop vocabulary of the layout designer: every draggable
 * carries its `DragSource` and every droppable its `DropTarget` in dnd-kit's
 * `data`, so the drop itself is `applyDrop(layout, source, target)`.
 */
export interface DragData { source?: DragSource; target?: DropTarget; label?: string }

export const itemDndId = (uid: string): string => `item:${uid}`;
export const sectionDndId = (id: string): string => `section:${id}`;
export const tabDndId = (id: string): string => `tab:${id}`;
export const PALETTE_DND_ID = 'palette';

// Several droppables contain the pointer (an item inside its section inside
// the canvas): the most specific one wins.
const rank = (id: string): number => (id.startsWith('item:') ? 0 : id.startsWith('section:') ? 1 : 2);

/**
 * Under the pointer, most specific first; the keyboard (no pointer) falls back
 * to the nearest corners.
 */
export const collide: CollisionDetection = (args) => {
  const hits = pointerWithin(args);
  if (hits.length) return [...hits].sort((a, b) => rank(String(a.id)) - rank(String(b.id)));
  return args.pointerCoordinates ? [] : closestCorners(args);
};

/**
 * Whether a drop at `point` over `rect` goes after that item: past its middle
 * horizontally in a grid of several columns, vertically in one column.
 */
export function dropsAfter(point: { x: number; y: number }, rect: Pick<ClientRect, 'left' | 'top' | 'width' | 'height'>, columns: number): boolean {
  return columns > 1 ? point.x > rect.left + rect.width / 2 : point.y > rect.top + rect.height / 2;
}

/**
 * Where the pointer is during a drag, in the coordinates dnd-kit compares
 * with droppable rects: the dragged rect now, plus where in it the pointer
 * went down. (The event's `delta` also counts page scroll, so it is not
 * usable against `over.rect` once the page auto-scrolled.) The keyboard has
 * no pointer: the dragged rect's centre.
 */
export function pointerOf(activatorEvent: Event | null, initial: ClientRect | null, translated: ClientRect | null): { x: number; y: number } | null {
  if (!translated) return null;
  const e = activatorEvent as (Event & { clientX?: number; clientY?: number }) | null;
  if (!initial || !e || typeof e.clientX !== 'number' || typeof e.clientY !== 'number') {
    return { x: translated.left + translated.width / 2, y: translated.top + translated.height / 2 };
  }
  return { x: translated.left + (e.clientX - initial.left), y: translated.top + (e.clientY - initial.top) };
}
