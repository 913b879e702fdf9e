import { sql, type Kysely } from 'kysely';
import type { Row, StepDone, StepLog, StepRecord } from '@crm/automation';
import type { Clock } from '../infra/clock.js';

/** A step's output or error as stored: JSON, bounded (a large HTTP answer is cut, never the run). */
export function boundedJson(v: unknown, max = 64 * 1024): string {
  const s = JSON.stringify(v ?? {});
  return s.length <= max ? s : JSON.stringify({ truncated: true, size: s.length, head: s.slice(0, 2000) });
}

/**
 * crm.automation_steps: the run's step log. `(run_id, key)` is unique, so a
 * step is recorded once; a write step's completion is inserted in the
 * step's own transaction (see EnginePorts.atomically), the others here.
 */
export class RunStore implements StepLog {
  constructor(private readonly db: Kysely<any>, private readonly clock: Clock) {}

  async load(runId: string): Promise<Map<string, StepRecord>> {
    const rows = await this.db.selectFrom('crm.automation_steps').select(['key', 'status', 'output', 'attempts']).where('run_id', '=', runId).execute();
    return new Map(rows.map((r) => [r.key as string, { key: r.key as string, status: r.status as StepRecord['status'], output: (r.output ?? {}) as Row, attempts: r.attempts as number }]));
  }

  async claim(runId: string, key: string, kind: string, input: Row): Promise<StepRecord> {
    const { rows } = await sql<{ status: string; output: Row; attempts: number }>`
      insert into crm.automation_steps (run_id, key, kind, status, input, started_at)
      values (${runId}::uuid, ${key}, ${kind}, 'claimed', ${boundedJson(input)}::jsonb, ${this.clock.now()})
      on conflict (run_id, key) do update set attempts = crm.automation_steps.attempts + 1, status = 'claimed', error = null
      returning status, output, attempts`.execute(this.db);
    const r = rows[0]!;
    return { key, status: r.status as StepRecord['status'], output: r.output ?? {}, attempts: r.attempts };
  }

  /**
   * `effect`: the key of a writing step completed in its own transaction. If
   * that step is already done (another runner got there first, e.g. after a
   * lease ran out), this throws: the caller's transaction rolls back and its
   * writes with it, so the effect still happens once.
   */
  async complete(runId: string, steps: StepDone[], db: Kysely<any> = this.db, effect?: string): Promise<void> {
    if (!steps.length) return;
    const now = this.clock.now();
    const { rows } = await sql<{ key: string }>`insert into crm.automation_steps (run_id, key, kind, status, input, output, started_at, finished_at)
      values ${sql.join(steps.map((s) => sql`(${runId}::uuid, ${s.key}, ${s.kind}, 'done', ${boundedJson(s.input ?? {})}::jsonb, ${boundedJson(s.output)}::jsonb, ${s.startedAt}, ${now})`))}
      on conflict (run_id, key) do update set status = 'done', output = excluded.output, finished_at = excluded.finished_at, error = null
        where crm.automation_steps.status <> 'done'
      returning key`.execute(db);
    if (effect !== undefined && !rows.some((r) => r.key === effect)) throw new Error(`step ${effect} of run ${runId} was already done by another runner`);
  }

  async wait(runId: string, key: string, kind: string, until: Date, output: Row): Promise<void> {
    await sql`insert into crm.automation_steps (run_id, key, kind, status, output, started_at)
      values (${runId}::uuid, ${key}, ${kind}, 'waiting', ${boundedJson({ ...output, until: until.toISOString() })}::jsonb, ${this.clock.now()})
      on conflict (run_id, key) do update set status = 'waiting', output = excluded.output`.execute(this.db);
  }

  /** The step that failed, with its error, so the run page and the failed list can show it. */
  async fail(runId: string, key: string, kind: string, error: Row): Promise<void> {
    if (!key) return;
    await sql`insert into crm.automation_steps (run_id, key, kind, status, error, started_at, finished_at)
      values (${runId}::uuid, ${key}, ${kind}, 'failed', ${boundedJson(error)}::jsonb, ${this.clock.now()}, ${this.clock.now()})
      on conflict (run_id, key) do update set status = case when crm.automation_steps.status = 'done' then 'done' else 'failed' end,
        error = excluded.error, attempts = crm.automation_steps.attempts + 1, finished_at = excluded.finished_at`.execute(this.db);
  }
}
