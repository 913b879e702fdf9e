import { randomBytes } from 'node:crypto';
import { sql, type Kysely, type RawBuilder, type Transaction } from 'kysely';
import { entityFacts } from '../assign/meta.js';
import { matchingFlows, type AssignPort, type Effects, type EnginePorts, type HttpPort, type RecordEvent, type RecordsPort, type Row, type RunState } from '@crm/automation';
import { ruleSchemaFor, type Entity, type Flow } from '@crm/metadata';
import type { RuleSchema } from '@crm/rules';
import { AppError } from '../errors/app-error.js';
import type { Clock } from '../infra/clock.js';
import { uuidv7 } from '../infra/ids.js';
import type { WorkspaceContext } from '../context.js';
import type { PublishedMetadata } from '../metadata/cache.js';
import type { RecordsService, Caller } from '../records/service.js';
import type { OutboxMailer } from '../mail/mailer.js';
import { NotificationStore } from '../notifications/store.js';
import type { RunStore } from './run-store.js';

/** What the automation module hands each run's ports. */
export interface AutomationDeps {
  db: Kysely<any>;
  clock: Clock;
  records: RecordsService;
  mailer: OutboxMailer;
  runs: RunStore;
  http: HttpPort;
  published(ws: WorkspaceContext): Promise<PublishedMetadata>;
  /** Owner assignment and the public pool, bound to a step's transaction. */
  assign(tx: Transaction<any>, caller: Caller): AssignPort;
  /** Queues runs for execution (graphile-worker jobs, in the given transaction). */
  enqueue(db: Kysely<any>, runIds: string[], runAt?: Date | { afterMs: number }): Promise<void>;
}

export interface RunIdentity {
  ws: WorkspaceContext;
  /** The flow owner: the run has that member's rights, never more. */
  ownerId: string;
  revision: number;
  flows: Map<string, Flow>;
}

const notFound = (err: unknown) => err instanceof AppError && (err.code === 'CRM_ERR_NOT_FOUND');
const schemas = new WeakMap<PublishedMetadata, Map<string, RuleSchema>>();

/** Rule schemas with `$previous` (automations compare before and after), per published revision. */
export function automationRuleSchema(meta: PublishedMetadata, entity: string): RuleSchema {
  let byEntity = schemas.get(meta);
  if (!byEntity) schemas.set(meta, (byEntity = new Map()));
  let s = byEntity.get(entity);
  if (!s) {
    const doc = meta.documents.find((d) => d.kind === 'entity' && d.body.key === entity);
    if (!doc) throw new AppError('CRM_ERR_NOT_FOUND');
    s = ruleSchemaFor(doc.body as unknown as Entity, { previous: true });
    byEntity.set(entity, s);
  }
  return s;
}

/**
 * The engine's ports for one run: records through the records service with
 * the flow owner's rights (every write names the flow, the run, the step and
 * whose action set it off), mail into the outbox and notifications in the
 * step's transaction, HTTP through the SSRF-guarded client.
 */
/**
 * What the dry run changes: everything happens inside its own transaction
 * (each step in a savepoint of it), reads see the run's own writes, and mail,
 * notifications, requests and child runs are captured instead of made.
 */
export interface PortOverrides {
  /** The transaction reads go through (outside steps). */
  db: Transaction<any>;
  /** Runs a step's writes: in a savepoint of `db` for the dry run. */
  transact<T>(fn: (tx: Transaction<any>) => Promise<T>): Promise<T>;
  clock: Clock;
  steps: EnginePorts['steps'];
  http: HttpPort;
  effects(fx: Effects, key: string, kind: string): Effects;
}

export async function enginePorts(deps: AutomationDeps, run: RunState, id: RunIdentity, over?: PortOverrides): Promise<EnginePorts> {
  const meta = await deps.published(id.ws);
  const entityDoc = (key: string) => meta.documents.find((d) => d.kind === 'entity' && d.body.key === key)?.body as unknown as Entity | undefined;
  const caller = (tx: Transaction<any> | undefined, step: string): Caller => ({
    ws: id.ws, userId: id.ownerId, ...(tx ? { tx } : {}),
    via: { flow: run.flow.id, run: run.id, step, chain: [...run.chain, run.flow.id], by: run.triggeredBy },
  });
  const read = async (c: Caller, entity: string, recordId: string) => {
    try {
      return (await deps.records.get(c, entity, recordId)) as Row;
    } catch (err) {
      if (notFound(err)) return null;
      throw err;
    }
  };
  const matchCtx = { now: deps.clock.now(), timeZone: id.ws.settings.timeZone, ruleSchema: (e: string) => automationRuleSchema(meta, e) };

  const recordsPort = (tx: Transaction<any>, step: string): RecordsPort => {
    const c = caller(tx, step);
    return {
      get: (entity, recordId) => read(c, entity, recordId),
      create: async (entity, values) => (await deps.records.create(c, entity, values)).record as Row,
      update: async (entity, recordId, values, known) => {
        let before = known ?? await read(c, entity, recordId);
        if (!before) throw new AppError('CRM_ERR_NOT_FOUND');
        let after: Row;
        try {
          after = (await deps.records.update(c, entity, recordId, values, before.version as number)) as Row;
        } catch (err) {
          // The run's copy was older (another automation, or a person, wrote meanwhile): a step sets fields, it does
          // not build on the version it read, so it writes them on the current one. Nothing failed in SQL: the
          // transaction goes on.
          if (!known || !(err instanceof AppError) || err.code !== 'CRM_ERR_VERSION_CONFLICT') throw err;
          before = await read(c, entity, recordId);
          if (!before) throw new AppError('CRM_ERR_NOT_FOUND');
          after = (await deps.records.update(c, entity, recordId, values, before.version as number)) as Row;
        }
        const changed = Object.keys(values).filter((k) => JSON.stringify(before[k] ?? null) !== JSON.stringify(after[k] ?? null));
        const event: RecordEvent | null = changed.length ? {
          kind: 'updated', entity, recordId, record: after, previous: Object.fromEntries(changed.map((k) => [k, before[k] ?? null])),
          changed, userId: run.triggeredBy, chain: [...run.chain, run.flow.id],
        } : null;
        return { record: after, event };
      },
      createLinked: async (kind, entity, link, v) => {
        const e = entityDoc(entity);
        if (!e) throw new AppError('CRM_ERR_NOT_FOUND');
        const live = e.fields.filter((f) => !(f as { archived?: boolean }).archived);
        const first = (type: string) => live.find((f) => f.type === type)?.key;
        const values: Row = { [e.titleField]: v.title };
        const userField = first('user');
        if (v.assignee) {
          if (userField) values[userField] = v.assignee;
          if (e.ownership === 'owned') values.owner_id = v.assignee;
        }
        const due = first('datetime');
        if (kind === 'task' && v.due && due) values[due] = v.due;
        if (kind === 'activity' && due) values[due] = deps.clock.now().toISOString();
        const notes = first('textarea');
        if (v.notes && notes) values[notes] = v.notes;
        const select = live.find((f) => f.type === 'select' && (f as { options?: { key: string }[] }).options?.some((o) => o.key === v.activityType));
        if (kind === 'activity' && select) values[select.key] = v.activityType;
        const relation = link && live.find((f) => f.type === 'relation' && (f as { target?: string }).target === link.entity);
        if (link && relation) values[relation.key] = link.id;
        // A required choice left open (a task's status) starts at its first active option, as a new record in the app would.
        for (const f of live) {
          const options = (f as { options?: { key: string; active?: boolean }[] }).options;
          if (f.type === 'select' && (f as { required?: boolean }).required && values[f.key] === undefined && options?.length) {
            values[f.key] = (options.find((o) => o.active !== false) ?? options[0]!).key;
          }
        }
        return (await deps.records.create(c, entity, values)).record as Row;
      },
      duplicates: async (entity, record, fields, openOnly) => {
        const e = entityDoc(entity);
        if (!e) throw new AppError('CRM_ERR_NOT_FOUND');
        const types = new Map(e.fields.map((f) => [f.key, f.type]));
        const checks = fields.flatMap((k) => {
          const value = normalised(types.get(k), record[k]);
          return value ? [sql`${normalisedSql(types.get(k), sql.ref(k))} = ${value}`] : [];
        });
        if (!checks.length || typeof record.id !== 'string') return [];
        const closed = openOnly ? (await entityFacts(tx, id.ws.id, entity)).closed : [];
        const { rows } = await sql<{ id: string }>`select id::text as id from ${sql.table(`${id.ws.schemaName}.${entity}`)}
          where id <> ${record.id}::uuid and deleted_at is null and (${sql.join(checks, sql` or `)})
          ${sql.join(closed.map((c) => sql`and (${sql.ref(c.field)} is null or ${sql.ref(c.field)} <> all(${c.values}::text[]))`), sql` `)}
          order by created_at, id limit 5`.execute(tx);
        return rows.map((r) => ({ id: r.id }));
      },
      related: async (entity, field, recordId, max, filter) => {
        const match = { '==': [{ var: field }, recordId] };
        const page = await deps.records.list(c, entity, { filter: filter ? { and: [match, filter] } : match, limit: max });
        return page.data as Row[];
      },
      people: async (kind, record) => {
        const owner = record?.owner_id;
        if (typeof owner !== 'string') return [];
        const { rows } = kind === 'owner'
          ? await sql<{ id: string; email: string }>`select id, email from crm.users where id = ${owner}::uuid`.execute(tx)
          : await sql<{ id: string; email: string }>`select distinct u.id, u.email from crm.team_members mine
              join crm.teams t on t.id = mine.team_id and t.workspace_id = ${id.ws.id}::uuid
              join crm.team_members boss on boss.team_id = t.id and boss.is_manager and boss.user_id <> ${owner}::uuid
              join crm.workspace_members wm on wm.workspace_id = t.workspace_id and wm.user_id = boss.user_id and wm.status = 'active'
              join crm.users u on u.id = boss.user_id
              where mine.user_id = ${owner}::uuid`.execute(tx);
        return rows.map((r) => ({ userId: r.id, email: r.email ?? null }));
      },
      roleMembers: async (role) => {
        const { rows } = await sql<{ id: string; email: string }>`select u.id, u.email from crm.member_roles r
          join crm.workspace_members m on m.workspace_id = r.workspace_id and m.user_id = r.user_id and m.status = 'active'
          join crm.users u on u.id = r.user_id
          where r.workspace_id = ${id.ws.id}::uuid and r.role_key = ${role} order by u.id`.execute(tx);
        return rows.map((r) => ({ userId: r.id, email: r.email ?? null }));
      },
      userEmail: async (userId) => {
        const { rows } = await sql<{ email: string }>`select u.email from crm.users u join crm.workspace_members m on m.user_id = u.id
          where u.id = ${userId}::uuid and m.workspace_id = ${id.ws.id}::uuid and m.status = 'active'`.execute(tx);
        return rows[0]?.email ?? null;
      },
    };
  };

  const effects = (tx: Transaction<any>, key: string, kind: string, startedAt: Date): Effects => ({
    records: recordsPort(tx, key),
    mail: {
      enqueue: async (m) => {
        await deps.mailer.enqueue(tx, { workspaceId: id.ws.id, to: m.to, subject: m.subject, text: m.text, html: m.html, messageId: m.messageId,
          meta: { flow: run.flow.id, run: run.id, step: key, ...(run.entity ? { entity: run.entity } : {}), ...(run.recordId ? { recordId: run.recordId } : {}) } });
      },
    },
    notify: {
      send: async (userIds, n) => {
        await new NotificationStore(tx).insert(userIds.map((u) => ({
          workspaceId: id.ws.id, userId: u, kind: 'automation' as const, title: n.title, body: n.body, dedupeKey: n.key,
          data: { flow: run.flow.id, run: run.id, label: run.flow.label }, ...(n.entity ? { entity: n.entity } : {}), ...(n.recordId ? { recordId: n.recordId } : {}),
        })), deps.clock.now(), tx);
      },
    },
    assign: deps.assign(tx, caller(tx, key)),
    startChild: async (flow) => {
      const childId = uuidv7(deps.clock.now().getTime());
      const { rows } = await sql<{ id: string }>`insert into crm.automation_runs
          (id, workspace_id, flow_id, revision, status, entity, record_id, trigger, triggered_by, chain, parent_run, dedupe_key, created_at)
        values (${childId}::uuid, ${id.ws.id}::uuid, ${flow.id}, ${id.revision}, 'queued', ${run.entity ?? null}, ${run.recordId ?? null},
          ${JSON.stringify({ calledBy: run.flow.id, record: run.trigger.record ?? null })}::jsonb, ${run.triggeredBy}, ${[...run.chain, run.flow.id]},
          ${run.id}::uuid, ${`${run.id}.${key}`}, ${deps.clock.now()})
        on conflict (workspace_id, dedupe_key) where dedupe_key is not null do nothing returning id`.execute(tx);
      if (rows[0]) await deps.enqueue(tx, [rows[0].id]);
      return rows[0]?.id ?? childId;
    },
    complete: (output, earlier, input) => deps.runs.complete(run.id, [...earlier, { key, kind, output, startedAt, ...(input ? { input } : {}) }], tx, key),
  });

  const clock = over?.clock ?? deps.clock;
  return {
    clock,
    timeZone: id.ws.settings.timeZone,
    steps: over?.steps ?? deps.runs,
    atomically: (_runId, key, kind, fn) => {
      const startedAt = clock.now();
      if (over) return over.transact((tx) => fn(over.effects(effects(tx, key, kind, startedAt), key, kind)));
      return deps.db.transaction().execute((tx) => fn(effects(tx, key, kind, startedAt)));
    },
    atomicallyMany: (_runId, fn) => {
      const enter = (tx: Transaction<any>) => (key: string, kind: string) => {
        const fx = effects(tx, key, kind, clock.now());
        return over ? over.effects(fx, key, kind) : fx;
      };
      if (over) return over.transact((tx) => fn(enter(tx)));
      return deps.db.transaction().execute((tx) => fn(enter(tx)));
    },
    http: over?.http ?? deps.http,
    record: (entity, recordId) => read(caller(over?.db, ''), entity, recordId),
    triggered: (event) => matchingFlows(id.flows.values(), event, { ...matchCtx, now: clock.now() }),
    ruleSchema: (entity) => automationRuleSchema(meta, entity),
    flow: (flowId) => id.flows.get(flowId),
    signingSecret: () => signingSecret(deps.db, id.ws.id),
  };
}

/**
 * How duplicates compare: a phone by its digits without a +86 / 0086 country
 * prefix ("+86 138-0013-8000" = "13800138000"), everything else trimmed and
 * lower-cased. The same in JS (the record's value) and SQL (the others').
 */
export function normalised(type: string | undefined, v: unknown): string | null {
  if (typeof v !== 'string' || !v.trim()) return null;
  if (type === 'phone') {
    const digits = v.replace(/\D/g, '').replace(/^(?:0086|86)(?=1\d{10}$)/, '');
    return digits || null;
  }
  return v.trim().toLowerCase();
}

function normalisedSql(type: string | undefined, col: RawBuilder<unknown> | ReturnType<typeof sql.ref>) {
  return type === 'phone'
    ? sql`regexp_replace(regexp_replace(${col}, '[^0-9]', '', 'g'), '^(0086|86)(1[0-9]{10})$', '\\2')`
    : sql`lower(btrim(${col}::text))`;
}

/** The workspace's webhook signing secret, made on first use. */
export async function signingSecret(db: Kysely<any>, workspaceId: string): Promise<string> {
  const made = randomBytes(32).toString('base64url');
  const { rows } = await sql<{ secret: string }>`insert into crm.automation_secrets (workspace_id, secret) values (${workspaceId}::uuid, ${made})
    on conflict (workspace_id) do update set secret = crm.automation_secrets.secret returning secret`.execute(db);
  return rows[0]!.secret;
}
