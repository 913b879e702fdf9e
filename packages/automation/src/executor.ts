import type { Step } from '@crm/metadata';
import type { EnginePorts, Row, RunState, StepDone, StepOutcome, StepRecord } from './ports.js';
import type { Scope } from './scope.js';
import { executors, StepFailure, type StepEnv } from './steps.js';

/** Per-run caps: a flow that runs away stops with a clear reason instead of holding a worker. */
export interface RunBudget {
  /** Steps walked in one run (loop iterations count each). */
  maxSteps: number;
  /** Steps that write (records touched, mails, notifications). */
  maxWrites: number;
  /** Time one execution may work (ms); time spent waiting on a delay does not count. */
  maxMs: number;
}
export const DEFAULT_BUDGET: RunBudget = { maxSteps: 1000, maxWrites: 500, maxMs: 10 * 60_000 };

export type RunResult =
  | { status: 'completed' }
  | { status: 'stopped'; key: string }
  | { status: 'waiting'; key: string; until: Date }
  | { status: 'failed'; key: string; error: StepFailure };

class Waiting { constructor(readonly key: string, readonly until: Date) {} }

/** Step kinds that never change the trigger record: no need to read it again after them. */
const NO_RECORD_CHANGE = new Set(['notify', 'send_email', 'call_flow', 'loop']);
class Stopped { constructor(readonly key: string) {} }

/**
 * Runs a flow from wherever it stands. The walk always starts at the top and
 * replays what the step log already holds (outputs, branch choices, loop
 * lists), so a run resumed after a crash, a delay or a retry takes exactly
 * the path it took before and continues at its first unfinished step. Each
 * step is made to happen once by its effect kind (see steps.ts).
 */
export async function executeRun(run: RunState, ports: EnginePorts, budget: RunBudget = DEFAULT_BUDGET): Promise<RunResult> {
  const log = run.fresh ? new Map<string, StepRecord>() : await ports.steps.load(run.id);
  const load = async () => (run.entity && run.recordId ? await ports.record(run.entity, run.recordId) : null) ?? (run.trigger.record as Row | undefined) ?? {};
  const scope: Scope = { record: await load(), previous: run.previous, trigger: run.trigger, steps: {}, userId: run.triggeredBy, now: ports.clock.now() };
  const begun = ports.clock.now();
  let walked = 0;
  let writes = 0;
  // Pure steps done since the last write: recorded with the next write, or at the end.
  let held: StepDone[] = [];
  const flush = async () => {
    if (!held.length) return;
    await ports.steps.complete(run.id, held);
    held = [];
  };

  const one = async (step: Step, key: string): Promise<StepOutcome> => {
    try {
      return await attempt(step, key);
    } catch (err) {
      if (err instanceof Waiting || err instanceof Stopped || typeof err !== 'object' || err === null) throw err;
      throw keyed(err, key);
    }
  };

  const attempt = async (step: Step, key: string): Promise<StepOutcome> => {
    walked += 1;
    if (walked > budget.maxSteps) throw new StepFailure('budget_exceeded', `more than ${budget.maxSteps} steps in one run`, false);
    const stored: StepRecord | undefined = log.get(key);
    if (stored?.status === 'done') return replay(step, stored.output);
    scope.now = ports.clock.now();
    if (scope.now.getTime() - begun.getTime() > budget.maxMs) throw new StepFailure('budget_exceeded', `the run took longer than ${Math.round(budget.maxMs / 1000)} s`, false);
    // A wait that is over is finished by running the step again (wait_for re-checks its rule, reading `since`).
    if (stored?.status === 'waiting') scope.steps[step.id] = stored.output;
    const exec = executors[step.kind] as (typeof executors)[keyof typeof executors];
    const env: StepEnv = { run, scope, ports, key };
    const started = ports.clock.now();
    const config = step.config as never;
    if (exec.effect === 'write') {
      writes += 1;
      if (writes > budget.maxWrites) throw new StepFailure('budget_exceeded', `more than ${budget.maxWrites} writing steps in one run`, false);
      const outcome = await ports.atomically(run.id, key, step.kind, async (fx) => {
        const o = await exec.run(config, step, { ...env, fx });
        await fx.complete(o.output, held, step.config);
        return o;
      });
      held = [];
      // Steps that may have changed the trigger record (directly, or through a rollup of what they created);
      // an update of the trigger record itself already put the written record in scope.
      const ownUpdate = step.kind === 'update_record' && !(step.config as { record?: unknown }).record && !(step.config as { entity?: unknown }).entity;
      if (!NO_RECORD_CHANGE.has(step.kind) && !ownUpdate) scope.record = await load();
      return outcome;
    }
    if (exec.effect === 'external') {
      await flush();
      await ports.steps.claim(run.id, key, step.kind, { config: step.config });
    }
    const outcome = await exec.run(config, step, env);
    if (outcome.kind === 'wait') {
      await flush();
      await ports.steps.wait(run.id, key, step.kind, outcome.until, outcome.output);
      throw new Waiting(key, outcome.until);
    }
    const done: StepDone = { key, kind: step.kind, output: outcome.output, startedAt: started, input: step.config };
    if (exec.effect === 'external') await ports.steps.complete(run.id, [done]);
    else held.push(done);
    return outcome;
  };

  const changesRecord = (step: Step) => !NO_RECORD_CHANGE.has(step.kind)
    && !(step.kind === 'update_record' && !(step.config as { record?: unknown }).record && !(step.config as { entity?: unknown }).entity);

  /** Consecutive writing steps, none done yet, run in one transaction (one commit for all of them). */
  const group = async (list: Step[], prefix: string): Promise<[Step, StepOutcome][]> => {
    const outs: [Step, StepOutcome][] = [];
    await ports.atomicallyMany!(run.id, async (enter) => {
      for (const step of list) {
        const key = prefix + step.id;
        try {
          walked += 1;
          writes += 1;
          if (walked > budget.maxSteps) throw new StepFailure('budget_exceeded', `more than ${budget.maxSteps} steps in one run`, false);
          if (writes > budget.maxWrites) throw new StepFailure('budget_exceeded', `more than ${budget.maxWrites} writing steps in one run`, false);
          scope.now = ports.clock.now();
          if (scope.now.getTime() - begun.getTime() > budget.maxMs) throw new StepFailure('budget_exceeded', `the run took longer than ${Math.round(budget.maxMs / 1000)} s`, false);
          const fx = enter(key, step.kind);
          const exec = executors[step.kind] as (typeof executors)[keyof typeof executors];
          const o = await exec.run(step.config as never, step, { run, scope, ports, key, fx });
          await fx.complete(o.output, outs.length ? [] : held, step.config);
          scope.steps[step.id] = o.output;
          outs.push([step, o]);
          if (o.kind === 'stop') break;
          // The next step of the group reads the record as this one left it (inside the transaction).
          if (changesRecord(step) && run.entity && run.recordId) scope.record = (await fx.records.get(run.entity, run.recordId)) ?? scope.record;
        } catch (err) {
          if (typeof err === 'object' && err !== null) throw keyed(err, key);
          throw err;
        }
      }
    });
    held = [];
    return outs;
  };
  const groupable = (step: Step, prefix: string) => executors[step.kind].effect === 'write' && step.kind !== 'loop' && !log.has(prefix + step.id);

  const replay = (step: Step, output: Row): StepOutcome => {
    // A step that stopped the run (a condition that did not hold, a duplicate found) stops its replay too.
    if (output.stop === true) return { kind: 'stop', reason: step.kind === 'condition' ? 'condition_false' : 'duplicate_found', output };
    if (step.kind === 'branch' && typeof output.branch === 'string') return { kind: 'branch', branch: output.branch, output };
    return { kind: 'next', output };
  };

  const walk = async (steps: Step[], prefix: string): Promise<void> => {
    for (let i = 0; i < steps.length; i++) {
      const step = steps[i]!;
      const key = prefix + step.id;
      if (ports.atomicallyMany && groupable(step, prefix) && i + 1 < steps.length && groupable(steps[i + 1]!, prefix)) {
        let j = i + 1;
        while (j < steps.length && groupable(steps[j]!, prefix)) j++;
        const outs = await group(steps.slice(i, j), prefix);
        const last = outs[outs.length - 1];
        if (last && last[1].kind === 'stop') throw new Stopped(prefix + last[0].id);
        i = j - 1;
        continue;
      }
      const outcome = await one(step, key);
      scope.steps[step.id] = outcome.output;
      if (outcome.kind === 'stop') throw new Stopped(key);
      if (outcome.kind === 'branch') {
        const b = step.branches?.find((x) => x.id === outcome.branch);
        if (b) await walk(b.steps, `${key}/${b.id}/`);
      }
      if (step.kind === 'loop') {
        const body = step.branches?.[0];
        const ids = Array.isArray(outcome.output.ids) ? (outcome.output.ids as unknown[]) : [];
        for (let i = 0; body && i < ids.length; i++) {
          scope.steps[step.id] = { ...outcome.output, item: ids[i], index: i };
          await walk(body.steps, `${key}[${i}]/`);
        }
        scope.steps[step.id] = outcome.output;
      }
    }
  };

  try {
    await walk(run.flow.steps, '');
    await flush();
    return { status: 'completed' };
  } catch (err) {
    // What was worked out is kept (a stop's condition, the steps before a failure); a failed flush is the queue's.
    if (!(err instanceof Waiting)) await flush().catch(() => undefined);
    if (err instanceof Waiting) return { status: 'waiting', key: err.key, until: err.until };
    if (err instanceof Stopped) return { status: 'stopped', key: err.key };
    // A StepFailure is final; anything else (database, network) is thrown for the queue to retry with backoff.
    if (err instanceof StepFailure) return { status: 'failed', key: failedStepKey(err), error: err };
    throw err;
  }
}

// The failing step's key travels on the error, so the run log can point at it (also for errors the queue retries).
const KEY = Symbol('stepKey');
export function failedStepKey(err: unknown): string {
  return (err as { [KEY]?: string })?.[KEY] ?? '';
}
function keyed<T extends object>(err: T, key: string): T {
  (err as { [KEY]?: string })[KEY] = key;
  return err;
}

/** The step a run-log key names: `s1`, `s2/then/s3` (a branch), `loop1[3]/s5` (a loop's body, 4th item). */
export function stepAtKey(steps: readonly Step[], key: string): Step | undefined {
  const parts = key.split('/');
  let list: readonly Step[] = steps;
  for (let i = 0; i < parts.length; i++) {
    const id = parts[i]!.replace(/\[\d+\]$/, '');
    const step = list.find((s) => s.id === id);
    if (!step || i === parts.length - 1) return step;
    if (step.kind === 'loop') list = step.branches?.[0]?.steps ?? [];
    else {
      const branch = step.branches?.find((b) => b.id === parts[++i]);
      if (!branch || i === parts.length - 1) return undefined;
      list = branch.steps;
    }
  }
  return undefined;
}
