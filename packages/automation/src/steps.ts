import { createHmac } from 'node:crypto';
import type { Step, StepConfig, StepKind, ValueExpr } from '@crm/metadata';
import { evaluate, RuleError } from '@crm/rules';
import type { Effects, EnginePorts, RecordEvent, Row, RunState, StepOutcome } from './ports.js';
import { addDuration, durationMs, render, resolve, resolveValues, type Scope } from './scope.js';
import { MAX_CHAIN_DEPTH } from './match.js';

/**
 * How a step touches the world decides how it is made to happen once:
 * - `none`: computes only; its outcome is recorded after it runs.
 * - `write`: database writes, run in one transaction with the step's
 *   completion (records, outbox mail, notifications, assignments, child runs):
 *   either both commit or neither does, so a retry cannot repeat them.
 * - `external`: an HTTP request. Claimed (committed) before it is sent and
 *   completed after; a crash in between resends it with the same
 *   `Idempotency-Key`, which a receiver can use to drop the duplicate.
 * - `wait`: schedules the run's continuation.
 */
export type EffectKind = 'none' | 'write' | 'external' | 'wait';

export interface StepEnv {
  run: RunState;
  scope: Scope;
  ports: EnginePorts;
  /** Unique within the run (loop iterations included): the idempotency key's second half. */
  key: string;
  /** Present for `write` steps: the step's transaction. */
  fx?: Effects;
}

export interface StepExecutor<K extends StepKind> {
  effect: EffectKind;
  run(config: StepConfig<K>, step: Step, env: StepEnv): Promise<StepOutcome>;
}

/** A step that cannot succeed by trying again (a 4xx answer, a refused value, a loop): not retried. */
export class StepFailure extends Error {
  constructor(readonly code: string, message: string, readonly retry: boolean, readonly detail: Row = {}) {
    super(message);
    this.name = 'StepFailure';
  }
}

const next = (output: Row = {}): StepOutcome => ({ kind: 'next', output });

function holds(rule: unknown, env: StepEnv, entity = env.run.entity): boolean {
  if (!entity) throw new StepFailure('no_record', 'this flow has no trigger record to test a rule on', false);
  try {
    return evaluate(rule, env.ports.ruleSchema(entity), env.scope.record, {
      now: env.scope.now, timeZone: env.ports.timeZone, previous: { ...env.scope.record, ...env.scope.previous },
      ...(env.run.triggeredBy ? { user: { id: env.run.triggeredBy, teams: [] } } : {}),
    });
  } catch (err) {
    // Checked at publish; a field archived since then makes it invalid for this run, and trying again will not help.
    if (err instanceof RuleError) throw new StepFailure('bad_rule', err.message, false, { issues: err.issues as unknown as Row[keyof Row] });
    throw err;
  }
}

/** The write's own event, checked before it commits: past the depth limit the step fails and its writes roll back. */
function guardLoop(event: RecordEvent | null, env: StepEnv) {
  if (!event) return;
  const started = env.ports.triggered(event);
  if (started.length && env.run.chain.length + 1 >= MAX_CHAIN_DEPTH) {
    throw new StepFailure('loop_detected', `automation chain ${[...env.run.chain, env.run.flow.id].join(' → ')} would start ${started.map((f) => f.id).join(', ')} again`, false,
      { chain: [...env.run.chain, env.run.flow.id], wouldStart: started.map((f) => f.id) });
  }
}

function targetOf(config: { record?: { var: string }; entity?: string }, env: StepEnv): { entity: string; id: string } {
  const entity = config.entity ?? env.run.entity;
  const id = config.record ? resolve(config.record as ValueExpr, env.scope) : env.run.recordId;
  if (!entity || typeof id !== 'string' || !id) throw new StepFailure('no_record', 'no record to update', false);
  return { entity, id };
}

async function recipients(list: StepConfig<'notify'>['to'], env: StepEnv, want: 'user' | 'email'): Promise<string[]> {
  const fx = env.fx!;
  const out = new Set<string>();
  for (const r of list) {
    if (r === 'owner' && want === 'user') {
      // The owner's id is on the record: no lookup.
      if (typeof env.scope.record.owner_id === 'string') out.add(env.scope.record.owner_id);
    } else if (r === 'owner' || r === 'owner_manager') {
      for (const p of await fx.records.people(r, env.scope.record)) {
        const v = want === 'user' ? p.userId : p.email;
        if (v) out.add(v);
      }
    } else if (r === 'trigger_user') {
      const u = env.run.triggeredBy;
      const v = u && (want === 'user' ? u : await fx.records.userEmail(u));
      if (v) out.add(v);
    } else if ('user' in r) {
      const v = want === 'user' ? r.user : await fx.records.userEmail(r.user);
      if (v) out.add(v);
    } else if ('email' in r) {
      if (want === 'email') out.add(r.email);
    } else if ('role' in r) {
      for (const p of await fx.records.roleMembers(r.role)) {
        const v = want === 'user' ? p.userId : p.email;
        if (v) out.add(v);
      }
    } else {
      const v = resolve(r as ValueExpr, env.scope);
      for (const x of Array.isArray(v) ? v : [v]) {
        if (typeof x !== 'string' || !x) continue;
        if (want === 'email') out.add(x.includes('@') ? x : (await fx.records.userEmail(x)) ?? '');
        else if (!x.includes('@')) out.add(x);
      }
    }
  }
  out.delete('');
  return [...out];
}

type Executors = { [K in StepKind]: StepExecutor<K> };

/** Every step kind's executor: a kind the metadata schema knows and this table does not is a compile error. */
export const executors: Executors = {
  condition: {
    effect: 'none',
    run: async (c, _s, env) => (holds(c.rule, env) ? next({ passed: true }) : { kind: 'stop', reason: 'condition_false', output: { passed: false, stop: true } }),
  },
  branch: {
    effect: 'none',
    run: async (_c, step, env) => {
      for (const b of step.branches ?? []) if (!b.rule || holds(b.rule, env)) return { kind: 'branch', branch: b.id, output: { branch: b.id } };
      return next({ branch: null });
    },
  },
  update_record: {
    effect: 'write',
    run: async (c, _s, env) => {
      const t = targetOf(c, env);
      const own = t.entity === env.run.entity && t.id === env.run.recordId;
      const { record, event } = await env.fx!.records.update(t.entity, t.id, resolveValues(c.values, env.scope), own && env.scope.record.version !== undefined ? env.scope.record : undefined);
      guardLoop(event, env);
      // The run now sees the record as written (the executor need not read it again).
      if (own) env.scope.record = record;
      return next({ id: t.id, version: record.version ?? null, changed: event?.changed ?? [] });
    },
  },
  create_record: {
    effect: 'write',
    run: async (c, _s, env) => {
      const record = await env.fx!.records.create(c.entity, resolveValues(c.values, env.scope));
      guardLoop({ kind: 'created', entity: c.entity, recordId: String(record.id), record, previous: {}, changed: Object.keys(c.values), userId: env.run.triggeredBy, chain: [...env.run.chain, env.run.flow.id] }, env);
      return next({ id: record.id });
    },
  },
  create_task: {
    effect: 'write',
    run: async (c, _s, env) => {
      const [assignee] = await recipients([c.assignee], env, 'user');
      const link = env.run.entity && env.run.recordId ? { entity: env.run.entity, id: env.run.recordId } : null;
      const row = await env.fx!.records.createLinked('task', c.entity ?? 'tasks', link, {
        title: render(c.title, env.scope), ...(c.notes ? { notes: render(c.notes, env.scope) } : {}), ...(assignee ? { assignee } : {}),
        ...(c.due ? { due: addDuration(env.scope.now, c.due).toISOString() } : {}),
      });
      return next({ id: row.id, assignee: assignee ?? null });
    },
  },
  create_activity: {
    effect: 'write',
    run: async (c, _s, env) => {
      const link = env.run.entity && env.run.recordId ? { entity: env.run.entity, id: env.run.recordId } : null;
      const row = await env.fx!.records.createLinked('activity', c.entity ?? 'activities', link, {
        title: render(c.subject, env.scope), activityType: c.activityType, ...(c.notes ? { notes: render(c.notes, env.scope) } : {}),
      });
      return next({ id: row.id });
    },
  },
  assign_owner: {
    effect: 'write',
    run: async (c, _s, env) => {
      const t = targetOf({}, env);
      const record = (await env.fx!.records.get(t.entity, t.id)) ?? env.scope.record;
      const picked = await env.fx!.assign.assign(t.entity, record, c as Row);
      return next({ owner: picked.ownerId, reason: picked.reason });
    },
  },
  find_duplicate: {
    effect: 'write',
    run: async (c, _s, env) => {
      const t = targetOf({}, env);
      const me = (await env.fx!.records.get(t.entity, t.id)) ?? env.scope.record;
      const found = await env.fx!.records.duplicates(t.entity, me, c.fields, c.openOnly ?? true);
      if (!found.length) return next({ found: false, id: null, count: 0 });
      const id = found[0]!.id;
      if (c.link) guardLoop((await env.fx!.records.update(t.entity, t.id, { [c.link]: id })).event, env);
      const output = { found: true, id, count: found.length };
      return c.onFound === 'stop' ? { kind: 'stop', reason: 'duplicate_found', output: { ...output, stop: true } } : next(output);
    },
  },
  move_to_pool: {
    effect: 'write',
    run: async (c, _s, env) => {
      const t = targetOf({}, env);
      const record = (await env.fx!.records.get(t.entity, t.id)) ?? env.scope.record;
      await env.fx!.assign.toPool(t.entity, record, c.reason ? (c.reason['zh-CN'] ?? c.reason.en ?? null) : null);
      return next({ pooled: true });
    },
  },
  send_email: {
    effect: 'write',
    run: async (c, _s, env) => {
      const to = await recipients(c.to, env, 'email');
      if (!to.length) return next({ sent: 0, skipped: 'no recipient with an email address' });
      const messageId = `<${env.run.id}.${env.key.replace(/[^A-Za-z0-9_.-]/g, '_')}@${env.run.workspaceId}>`;
      await env.fx!.mail.enqueue({ to, subject: render(c.subject, env.scope), text: render(c.body, env.scope), html: render(c.body, env.scope, { html: true }), messageId });
      return next({ to, messageId });
    },
  },
  notify: {
    effect: 'write',
    run: async (c, _s, env) => {
      const users = await recipients(c.to, env, 'user');
      if (users.length) {
        await env.fx!.notify.send(users, {
          title: render(c.title, env.scope), body: c.body ? render(c.body, env.scope) : null, key: `${env.run.id}.${env.key}`,
          ...(env.run.entity && env.run.recordId ? { entity: env.run.entity, recordId: env.run.recordId } : {}),
        });
      }
      return next({ to: users });
    },
  },
  http_request: {
    effect: 'external',
    run: async (c, _s, env) => {
      const headers: Record<string, string> = Object.fromEntries(Object.entries(c.headers ?? {}).map(([k, v]) => [k, render(v, env.scope)]));
      headers['Idempotency-Key'] = `${env.run.id}.${env.key}`;
      let body: string | undefined;
      if (c.body && c.method !== 'GET' && c.method !== 'DELETE') {
        body = JSON.stringify(resolveValues(c.body, env.scope));
        headers['Content-Type'] = 'application/json';
        if (c.sign) headers['X-CRM-Signature'] = `sha256=${createHmac('sha256', await env.ports.signingSecret()).update(body).digest('hex')}`;
      }
      const res = await env.ports.http.request({ method: c.method, url: render(c.url, env.scope), headers, ...(body !== undefined ? { body } : {}) });
      if (res.status >= 400 && res.status < 500) throw new StepFailure('http_4xx', `the receiver answered ${res.status}`, false, { status: res.status, body: res.body.slice(0, 2000) });
      if (res.status >= 500) throw new StepFailure('http_5xx', `the receiver answered ${res.status}`, true, { status: res.status });
      let parsed: unknown = res.body.slice(0, 10_000);
      try { parsed = JSON.parse(res.body); } catch { /* a text answer is kept as text */ }
      return next({ status: res.status, body: parsed as Row[keyof Row] });
    },
  },
  delay: {
    effect: 'wait',
    // Resumed after the wait, the step finds its own `until` (stored when it began waiting) and goes on.
    run: async (c, step, env) => {
      const began = env.scope.steps[step.id]?.until;
      const until = typeof began === 'string' ? new Date(began) : addDuration(env.scope.now, c.for);
      return until <= env.scope.now ? next({ waited: until.toISOString() }) : { kind: 'wait', until, output: {} };
    },
  },
  wait_until: {
    effect: 'wait',
    run: async (c, _s, env) => {
      const at = resolve(c.at, env.scope);
      const until = typeof at === 'string' ? new Date(at.length === 10 ? `${at}T00:00:00Z` : at) : null;
      if (!until || Number.isNaN(until.getTime())) return next({ skipped: 'no date to wait for' });
      return until > env.scope.now ? { kind: 'wait', until, output: { until: until.toISOString() } } : next({ until: until.toISOString() });
    },
  },
  wait_for: {
    effect: 'wait',
    // Checked again every few minutes until it holds or the timeout passes; the output says which.
    run: async (c, step, env) => {
      if (holds(c.rule, env)) return next({ timedOut: false });
      const started = typeof env.scope.steps[step.id]?.since === 'string' ? new Date(env.scope.steps[step.id]!.since as string) : env.scope.now;
      const deadline = new Date(started.getTime() + durationMs(c.timeout));
      if (env.scope.now >= deadline) return next({ timedOut: true });
      const recheck = new Date(Math.min(deadline.getTime(), env.scope.now.getTime() + 5 * 60_000));
      return { kind: 'wait', until: recheck, output: { since: started.toISOString(), recheck: true } };
    },
  },
  loop: {
    // Reads in a transaction like a write step, so the list it iterates is fixed once, with the step.
    effect: 'write',
    run: async (c, _s, env) => {
      if (!env.run.recordId) throw new StepFailure('no_record', 'a loop needs the trigger record', false);
      const rows = await env.fx!.records.related(c.entity, c.field, env.run.recordId, c.max, c.filter);
      return next({ ids: rows.map((r) => r.id), count: rows.length });
    },
  },
  call_flow: {
    effect: 'write',
    run: async (c, _s, env) => {
      const flow = env.ports.flow(c.flow);
      if (!flow) throw new StepFailure('unknown_flow', `flow ${c.flow} is not published`, false);
      if (env.run.chain.length + 1 >= MAX_CHAIN_DEPTH) throw new StepFailure('loop_detected', `automation chain too deep calling ${c.flow}`, false);
      const child = await env.fx!.startChild(flow);
      return next({ flow: c.flow, run: child });
    },
  },
};
