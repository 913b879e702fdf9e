import type { Step } from '@crm/metadata';
import type { Lang } from '@crm/ui';
import type { DocIssue } from '../state/issues.js';
import type { EntityBody } from '../model.js';
import type { FlowBody } from './flow-ops.js';

/** What is selected on the canvas; the panel on the right edits it. */
export type Selection = { kind: 'trigger' } | { kind: 'step'; id: string } | { kind: 'branch'; step: string; branch: string };

/** What the palette, canvas and panels of one flow share. */
export interface FlowEditor {
  lang: Lang;
  flowId: string;
  flow: FlowBody;
  /** The draft's entities (archived ones left out), and the trigger's. */
  entities: EntityBody[];
  entity: EntityBody | undefined;
  /** The flow document's issues (pointers relative to its body). */
  issues: readonly DocIssue[];
  /** One undo step on the flow document; `tag` merges keystrokes of one input. */
  change: (fn: (f: FlowBody) => FlowBody, tag?: string) => void;
  setSteps: (fn: (steps: Step[]) => Step[], tag?: string) => void;
  selection: Selection;
  select: (s: Selection) => void;
}
