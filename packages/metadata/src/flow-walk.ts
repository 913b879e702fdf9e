import type { Step, StepBranch } from './schemas/flow.js';

/**
 * Called for each step: its JSON pointer in the flow document
 * (`/steps/2/branches/0/steps/1`), how many branches enclose it (0 at the
 * top), and the steps that have run before it on every path that reaches it:
 * its enclosing steps and the earlier steps of each enclosing list, never a
 * step of a sibling branch nor one inside an earlier step's branches (those
 * may not have run). `before` is one array reused for the whole walk, so the
 * walk stays linear: copy it to keep it. Return `false` to skip the step's
 * branches.
 */
export type StepVisitor = (step: Step, pointer: string, depth: number, before: readonly Step[]) => void | boolean;

/**
 * Visits every step of a flow in document order (a step before the steps of
 * its branches, branches in order). Pure; tolerates a draft whose lists are
 * not arrays yet (they are skipped), so the designer can walk what it edits.
 *
 *   walkSteps(flow.steps, (s, at, depth) => console.log(at, s.kind, depth))
 *   // /steps/0 condition 0, /steps/1 branch 0, /steps/1/branches/0/steps/0 notify 1, ...
 */
export function walkSteps(steps: readonly Step[], visit: StepVisitor): void {
  walk(steps, '/steps', 0, [], visit);
}

function walk(steps: readonly Step[] | undefined, at: string, depth: number, path: Step[], visit: StepVisitor): void {
  if (!Array.isArray(steps)) return;
  steps.forEach((step, i) => {
    const pointer = `${at}/${i}`;
    const descend = visit(step, pointer, depth, path) !== false;
    const mark = path.length;
    path.push(step);
    const branches: readonly StepBranch[] | undefined = step?.branches;
    if (!descend || !Array.isArray(branches)) return;
    branches.forEach((b, j) => {
      walk(b?.steps, `${pointer}/branches/${j}/steps`, depth + 1, path, visit);
      path.length = mark + 1;
    });
  });
}
