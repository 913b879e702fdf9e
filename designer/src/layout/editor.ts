import type { Layout } from '@crm/metadata';
import type { Lang } from '@crm/ui';
import type { DocIssue } from '../state/issues.js';
import type { EntityBody, FieldBody } from '../model.js';
import type { RelatedChoice } from './layout-ops.js';

/** What is selected on the canvas: the properties panel edits it. Items by uid (see itemUids), so a move keeps the selection. */
export type Selection = { kind: 'item'; uid: string } | { kind: 'section'; id: string } | null;

/** What the palette, canvas and properties panel share. */
export interface LayoutEditor {
  lang: Lang;
  layout: Layout;
  entity: EntityBody;
  fields: Map<string, FieldBody>;
  /** Relation fields of other entities that point at this one (related lists). */
  related: RelatedChoice[];
  /** Layout document issues (pointers relative to its body). */
  issues: readonly DocIssue[];
  /** One undo step; `tag` merges keystrokes of one input. */
  change: (fn: (l: Layout) => Layout, tag?: string) => void;
  selection: Selection;
  select: (s: Selection) => void;
  /** The tab shown on the canvas. */
  activeTab: string;
  setActiveTab: (id: string) => void;
}
