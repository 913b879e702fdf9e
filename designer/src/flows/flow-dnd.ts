import { closestCenter, pointerWithin, type CollisionDetection } from '@dnd-kit/core';
import type { Step, StepKind } from '@crm/metadata';
import { insertStep, listKey, moveStep, type Place } from './step-tree.js';

/**
 * The drag and drop vocabulary of the flow canvas: palette chips carry a new
 * step's kind, step cards their id, and the gaps between steps (slots) the
 * place a drop lands, so a drop is `applyDrop(steps, source, place)`.
 */
export type FlowDragSource = { kind: 'new'; stepKind: StepKind } | { kind: 'step'; id: string };
export interface FlowDragData { source?: FlowDragSource; place?: Place; label?: string }

export const slotDndId = (place: Place): string => `slot:${listKey(place.list)}:${place.index}`;
export const PALETTE_DND_ID = 'flow-palette';

/**
 * The gap under the pointer (or the palette, which cancels); elsewhere on the
 * canvas the nearest gap, so dropping on a card lands just above or below it.
 */
export const collide: CollisionDetection = (args) => {
  const hits = pointerWithin(args);
  if (hits.length) return hits;
  return closestCenter({ ...args, droppableContainers: args.droppableContainers.filter((c) => String(c.id).startsWith('slot:')) });
};

/** The steps after a drop: a new step inserted, or a step (with its branches) moved. */
export function applyDrop(steps: readonly Step[], source: FlowDragSource, place: Place, make: (kind: StepKind) => Step): Step[] {
  return source.kind === 'new' ? insertStep(steps, place, make(source.stepKind)) : moveStep(steps, source.id, place);
}
