/** A plan from the server: schema actions (each described in the request's language) and what they would do to existing data. */
export interface Plan {
  planId: string;
  fromRevision: number;
  draftRevision: number;
  blocked: boolean;
  actions: { kind: string; description: string }[];
  findings: { action: number; code: string; blocking: boolean; count: number; samples: string[]; description: string }[];
}

export type GroupKey = 'create' | 'change' | 'archive' | 'index';
const GROUP_OF: Record<string, GroupKey> = {
  createTable: 'create', addColumn: 'create', addForeignKey: 'create', restoreField: 'create', restoreEntity: 'create', reactivateOption: 'change',
  alterColumnType: 'change', checkValues: 'change', deactivateOption: 'change',
  archiveField: 'archive', archiveEntity: 'archive',
  createIndex: 'index', dropIndex: 'index',
};

export interface PlanItem { description: string; findings: Plan['findings'] }

/** Actions grouped the way a reader weighs them (new, changed, archived, indexes), each with its findings on existing data. */
export function groupPlan(plan: Plan): Record<GroupKey, PlanItem[]> {
  const out: Record<GroupKey, PlanItem[]> = { create: [], change: [], archive: [], index: [] };
  plan.actions.forEach((a, i) => out[GROUP_OF[a.kind] ?? 'change'].push({ description: a.description, findings: plan.findings.filter((f) => f.action === i) }));
  return out;
}
