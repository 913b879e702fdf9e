import { walkSteps, type Step, type StepBranch } from '@crm/metadata';

/**
 * Pure operations on a flow's step tree. A list of steps is addressed by the
 * step and branch that hold it (`null`: the flow's own list), a place by a
 * list and an index in it. Every operation returns a new tree sharing the
 * untouched parts, or the same tree when it changes nothing (so the draft
 * records no empty undo step).
 */
export type ListRef = null | { step: string; branch: string };
export interface Place { list: ListRef; index: number }

export const listKey = (list: ListRef): string => (list ? `${list.step}/${list.branch}` : 'root');

/** A branch without a rule is the default: it runs when no other does, so it stays last. */
export const isDefaultBranch = (b: StepBranch): boolean => b.rule === undefined;

/** The steps of a list, or undefined when it does not exist. */
export function getList(steps: readonly Step[], list: ListRef): readonly Step[] | undefined {
  if (!list) return steps;
  return findStep(steps, list.step)?.step.branches?.find((b) => b.id === list.branch)?.steps;
}

export interface Found { step: Step; list: ListRef; index: number; pointer: string }

/** A step by id, with where it is and its JSON pointer in the flow document. */
export function findStep(steps: readonly Step[], id: string): Found | undefined {
  let found: Found | undefined;
  const visit = (list: readonly Step[], at: ListRef, base: string): void => {
    list.forEach((s, index) => {
      if (found) return;
      const pointer = `${base}/${index}`;
      if (s.id === id) { found = { step: s, list: at, index, pointer }; return; }
      s.branches?.forEach((b, j) => visit(b.steps ?? [], { step: s.id, branch: b.id }, `${pointer}/branches/${j}/steps`));
    });
  };
  visit(steps, null, '/steps');
  return found;
}

/** Replaces one list through `fn` (the rest of the tree is kept by reference). */
function mapList(steps: readonly Step[], list: ListRef, fn: (l: readonly Step[]) => readonly Step[]): Step[] {
  if (!list) return fn(steps) as Step[];
  return mapStep(steps, list.step, (s) => ({
    ...s,
    branches: s.branches?.map((b) => (b.id === list.branch ? { ...b, steps: fn(b.steps ?? []) as Step[] } : b)),
  }));
}

/** Replaces one step through `fn`, wherever it is. */
function mapStep(steps: readonly Step[], id: string, fn: (s: Step) => Step): Step[] {
  let hit = false;
  const walk = (list: readonly Step[]): Step[] => {
    let changed = false;
    const out = list.map((s) => {
      if (hit) return s;
      if (s.id === id) { hit = true; changed = true; return fn(s); }
      if (!s.branches) return s;
      const branches = s.branches.map((b) => {
        if (!Array.isArray(b.steps)) return b;
        const inner = walk(b.steps);
        return inner === b.steps ? b : { ...b, steps: inner };
      });
      if (branches.every((b, i) => b === s.branches![i])) return s;
      changed = true;
      return { ...s, branches };
    });
    return changed ? out : (list as Step[]);
  };
  return walk(steps);
}

export function updateStep(steps: readonly Step[], id: string, fn: (s: Step) => Step): Step[] {
  return findStep(steps, id) ? mapStep(steps, id, fn) : (steps as Step[]);
}

/** Inserts a step at a place (the index is clamped to the list). */
export function insertStep(steps: readonly Step[], place: Place, step: Step): Step[] {
  if (!getList(steps, place.list)) return steps as Step[];
  return mapList(steps, place.list, (l) => {
    const i = Math.max(0, Math.min(place.index, l.length));
    return [...l.slice(0, i), step, ...l.slice(i)];
  });
}

/** Removes a step with everything in its branches. */
export function removeStep(steps: readonly Step[], id: string): Step[] {
  const f = findStep(steps, id);
  if (!f) return steps as Step[];
  return mapList(steps, f.list, (l) => l.filter((s) => s.id !== id));
}

/** Whether `id` is `step` itself or inside one of its branches. */
export function contains(step: Step, id: string): boolean {
  return step.id === id || (step.branches ?? []).some((b) => (b.steps ?? []).some((s) => contains(s, id)));
}

/**
 * Moves a step (with its branches) to a place given in the tree as it is
 * before the move: dropping on the gap right above or below the step itself
 * changes nothing, and a step never goes into its own branches.
 */
export function moveStep(steps: readonly Step[], id: string, place: Place): Step[] {
  const from = findStep(steps, id);
  if (!from || !getList(steps, place.list)) return steps as Step[];
  if (place.list && contains(from.step, place.list.step)) return steps as Step[];
  const same = listKey(from.list) === listKey(place.list);
  const index = same && place.index > from.index ? place.index - 1 : place.index;
  if (same && index === from.index) return steps as Step[];
  return insertStep(removeStep(steps, id), { list: place.list, index }, from.step);
}

/** Adds a branch: a ruled one goes before the default branch, a default one last (and only if there is none). */
export function addBranch(steps: readonly Step[], stepId: string, branch: StepBranch): Step[] {
  const f = findStep(steps, stepId);
  const branches = f?.step.branches ?? [];
  if (!f) return steps as Step[];
  const last = branches[branches.length - 1];
  if (isDefaultBranch(branch)) {
    if (last && isDefaultBranch(last)) return steps as Step[];
    return mapStep(steps, stepId, (s) => ({ ...s, branches: [...branches, branch] }));
  }
  const at = last && isDefaultBranch(last) ? branches.length - 1 : branches.length;
  return mapStep(steps, stepId, (s) => ({ ...s, branches: [...branches.slice(0, at), branch, ...branches.slice(at)] }));
}

/** Removes a branch and its steps; the step keeps at least one branch. */
export function removeBranch(steps: readonly Step[], stepId: string, branchId: string): Step[] {
  const branches = findStep(steps, stepId)?.step.branches ?? [];
  if (branches.length <= 1 || !branches.some((b) => b.id === branchId)) return steps as Step[];
  return mapStep(steps, stepId, (s) => ({ ...s, branches: branches.filter((b) => b.id !== branchId) }));
}

/** Moves a ruled branch one place left (-1) or right (+1); the default branch stays last. */
export function shiftBranch(steps: readonly Step[], stepId: string, branchId: string, delta: -1 | 1): Step[] {
  const branches = findStep(steps, stepId)?.step.branches ?? [];
  const i = branches.findIndex((b) => b.id === branchId);
  const j = i + delta;
  if (i < 0 || j < 0 || j >= branches.length || isDefaultBranch(branches[i]!) || isDefaultBranch(branches[j]!)) return steps as Step[];
  const next = [...branches];
  [next[i], next[j]] = [next[j]!, next[i]!];
  return mapStep(steps, stepId, (s) => ({ ...s, branches: next }));
}

export function updateBranch(steps: readonly Step[], stepId: string, branchId: string, fn: (b: StepBranch) => StepBranch): Step[] {
  const branches = findStep(steps, stepId)?.step.branches ?? [];
  if (!branches.some((b) => b.id === branchId)) return steps as Step[];
  return mapStep(steps, stepId, (s) => ({ ...s, branches: branches.map((b) => (b.id === branchId ? fn(b) : b)) }));
}

/** Every id in the tree: steps and branches share one namespace (the validator refuses duplicates). */
export function takenIds(steps: readonly Step[]): Set<string> {
  const out = new Set<string>();
  walkSteps(steps, (s) => {
    out.add(s.id);
    s.branches?.forEach((b) => out.add(b.id));
  });
  return out;
}

/** The first free id `<prefix><n>` (`s1`, `s2` ...; `b1` ... for branches): short, so run-log keys like `b1/b2/s3` stay readable. */
export function nextId(prefix: string, taken: ReadonlySet<string>): string {
  for (let n = 1; ; n++) if (!taken.has(`${prefix}${n}`)) return `${prefix}${n}`;
}

/** How many steps a tree holds, branches included. */
export function countSteps(steps: readonly Step[]): number {
  let n = 0;
  walkSteps(steps, () => { n++; });
  return n;
}
