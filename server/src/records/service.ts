import { sql, type Kysely, type RawBuilder, type SqlBool, type Transaction } from 'kysely';
import { checkFormula, fieldTypes, fitsResultType, formulaVars, type Field, type FieldType } from '@crm/metadata';
import { validate as validateRule, type EvalContext } from '@crm/rules';
import { compileCount, compileFormula, compileList, compileRule, decodeCursor, encodeCursor, type SortKey } from '@crm/query';
import { AppError, type ErrorDetail } from '../errors/app-error.js';
import type { Clock } from '../infra/clock.js';
import { isUuid, uuidv7 } from '../infra/ids.js';
import type { WorkspaceContext } from '../context.js';
import type { PublishedMetadata } from '../metadata/cache.js';
import { accessPredicate, canAssignOwner, canCreate, resolveAccess, scopeOf, type Access, type Right } from './access.js';
import { checkRecord } from './checks.js';
import { workspaceModel, type EntityModel, type PipelineModel, type WorkspaceModel } from './model.js';
import { checkKeys, checkValues, isEmpty, selectColumns, toColumns, toWire, type Wire } from './values.js';
import { WriteHooks, type WriteEvent } from './hooks.js';
import { PINYIN_COLUMN, pinyinColumn } from './search-pinyin.js';
import { changedSql, wireSql } from './wire-sql.js';
import { openApiFor } from './openapi.js';
import { assignmentOf, notifyAssigned, type Assignment } from '../notifications/assigned.js';

export interface Caller {
  ws: WorkspaceContext;
  userId: string;
  ip?: string;
  /** An automation's write: named on its audit rows (timeline, loop detection). */
  via?: AuditVia;
  /**
   * Write inside this transaction instead of one of our own: an automation
   * step commits its record writes and its completion together.
   */
  tx?: Transaction<any>;
}

/** Which automation run and step wrote an audit row, the chain of flows that led to it, and whose action set it off. */
export interface AuditVia {
  flow: string;
  run: string;
  step: string;
  chain: string[];
  by: string | null;
  /** Why (an assignment rule's words), shown in the record's timeline. */
  reason?: { 'zh-CN': string; en: string };
}

const viaJson = (c: Caller) => (c.via ? JSON.stringify(c.via) : null);

interface Ctx {
  caller: Caller;
  model: WorkspaceModel;
  access: Access;
}

export interface ConvertInput {
  accountId?: string;
  newAccount?: boolean;
  createOpportunity?: boolean;
  account?: Wire;
  contact?: Wire;
  opportunity?: Wire;
}

/** Company names compare without case, spaces and (full-width) parentheses. */
export function normaliseName(name: string): string {
  return name.normalize('NFKC').toLowerCase().replace(/[\s()（）]/g, '');
}

export interface ListParams {
  filter?: unknown;
  sort?: string;
  limit?: number;
  cursor?: string;
  fields?: string[];
  expand?: string[];
  total?: boolean;
  q?: string;
  deleted?: boolean;
}

export interface ReadableEntity {
  key: string;
  label: Record<string, string>;
  table: RawBuilder<unknown>;
  title: string | undefined;
  /** Has an owner column; is an activity-like entity (tasks, activities). */
  owned: boolean;
  activity: boolean;
  fields: ReadonlyMap<string, Field>;
  predicate: (alias: string) => RawBuilder<SqlBool>;
  /** Physical columns of the searchable fields (global search). */
  searchable: readonly string[];
  pluralLabel: Record<string, string>;
}

const MAX_LIMIT = 500;
const SYSTEM_SORTABLE: Record<string, SortKey['kind']> = { created_at: 'datetime', updated_at: 'datetime', last_activity_at: 'datetime' };

/** What a list may sort by: single-value fields and the system timestamps (`last_activity_at` where activities stamp it). */
const sortableKeys = (m: EntityModel): string[] => [
  ...[...m.kinds.keys()].filter((k) => m.kinds.get(k) !== 'textArray'),
  ...Object.keys(SYSTEM_SORTABLE).filter((k) => k !== 'last_activity_at' || m.entity.hasActivities),
];

/**
 * The only code that writes entity data. Every path (API, forms, kanban,
 * imports, automations) comes through here, so every rule holds everywhere:
 * permission, validation, server rules and gates, computed fields, stage
 * history and audit, all in the write's transaction.
 */
export class RecordsService {
  readonly hooks = new WriteHooks();

  constructor(
    private readonly db: Kysely<any>,
    private readonly clock: Clock,
    private readonly published: (ws: WorkspaceContext) => Promise<PublishedMetadata>,
  ) {}

  /** The caller's transaction (an automation step's), or one of our own. */
  private inTx<T>(caller: Caller, fn: (tx: Transaction<any>) => Promise<T>): Promise<T> {
    return caller.tx ? fn(caller.tx) : this.db.transaction().execute(fn);
  }

  private writer(ctx: Ctx): Kysely<any> {
    return ctx.caller.tx ?? this.db;
  }

  private async ctx(caller: Caller): Promise<Ctx> {
    const model = workspaceModel(await this.published(caller.ws));
    return { caller, model, access: resolveAccess(caller.ws, caller.userId, model) };
  }

  private entity(ctx: Ctx, key: string): EntityModel {
    const m = ctx.model.entities.get(key);
    if (!m) throw new AppError('CRM_ERR_NOT_FOUND');
    return m;
  }

  private pred(ctx: Ctx, m: EntityModel, right: Right, alias = m.table): RawBuilder<SqlBool> {
    return accessPredicate(ctx.model, ctx.access, m, right, ctx.caller.ws.schemaName, alias);
  }

  private table(ctx: Ctx, m: EntityModel) {
    return sql.table(`${ctx.caller.ws.schemaName}.${m.table}`);
  }

  private evalCtx(ctx: Ctx): EvalContext {
    return { now: this.clock.now(), timeZone: ctx.caller.ws.settings.timeZone, user: { id: ctx.caller.userId, teams: [] } };
  }

  // ---------- reads ----------

  async list(caller: Caller, entityKey: string, p: ListParams) {
    const ctx = await this.ctx(caller);
    const m = this.entity(ctx, entityKey);
    const limit = p.limit ?? 50;
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) {
      throw new AppError('CRM_ERR_BAD_REQUEST', { reason: `limit must be 1..${MAX_LIMIT}` }, [{ pointer: '/limit', code: 'REQUEST_SCHEMA', params: { reason: `1..${MAX_LIMIT}` } }]);
    }
    const fields = this.checkFieldList(m, p.fields, 'fields');
    const expand = this.checkExpand(m, p.expand);
    const sort = this.parseSort(m, p.sort);
    const filter = p.filter === undefined ? undefined : this.compileFilter(ctx, m, p.filter);
    const after = p.cursor ? decodeCursor(p.cursor, sort) : undefined;
    if (p.cursor && !after) throw new AppError('CRM_ERR_BAD_REQUEST', { reason: 'cursor' });
    const spec = {
      schema: caller.ws.schemaName,
      table: m.table,
      columns: selectColumns(m, fields),
      permission: this.pred(ctx, m, 'read'),
      filter,
      search: p.q ? { columns: m.searchable, q: p.q.slice(0, 200), pinyin: m.pinyin.length ? PINYIN_COLUMN : undefined } : undefined,
      sort,
      after,
      limit: limit + 1,
      deleted: p.deleted ? ('only' as const) : ('exclude' as const),
    };
    const [{ rows }, total] = await Promise.all([
      compileList(this.db, spec).execute(this.writer(ctx)),
      p.total ? compileCount(this.db, spec).execute(this.writer(ctx)).then((r) => r.rows[0]!.total) : Promise.resolve(undefined),
    ]);
    const page = (rows as Record<string, unknown>[]).slice(0, limit);
    const last = page[page.length - 1];
    const nextCursor = rows.length > limit && last ? encodeCursor([...sort.map((s) => cursorValue(last[s.column])), last.id]) : null;
    const data = page.map((r) => toWire(m, r, fields));
    if (expand.length) await this.expand(ctx, m, data, expand);
    return { data, nextCursor, ...(total !== undefined ? { total } : {}) };
  }

  async get(caller: Caller, entityKey: string, id: string, opts: { expand?: string[] } = {}) {
    const ctx = await this.ctx(caller);
    const m = this.entity(ctx, entityKey);
    const expand = this.checkExpand(m, opts.expand);
    const row = await this.readRow(ctx, m, id, this.writer(ctx));
    if (!row) throw new AppError('CRM_ERR_NOT_FOUND');
    const data = toWire(m, row);
    if (expand.length) await this.expand(ctx, m, [data], expand);
    return data;
  }

  /**
   * Records as automations see them when deciding whether a write starts a
   * flow: by id, deleted ones included, in wire form, WITHOUT a read
   * predicate. Only the automation pump calls this (no route reaches it); the
   * runs it starts read and write with their flow owner's rights.
   */
  async rowsForAutomation(ws: WorkspaceContext, entityKey: string, ids: readonly string[], db: Kysely<any> = this.db): Promise<Wire[]> {
    const model = workspaceModel(await this.published(ws));
    const m = model.entities.get(entityKey);
    const valid = ids.filter(isUuid);
    if (!m || !valid.length) return [];
    const { rows } = await sql<Record<string, unknown>>`select ${sql.join(selectColumns(m).map((c) => sql.ref(c)))}
      from ${sql.table(`${ws.schemaName}.${m.table}`)} where id = any(${valid}::uuid[])`.execute(db);
    return rows.map((r) => toWire(m, r));
  }

  /**
   * Which of `ids` the caller may read, by the read predicate, live or in the
   * recycle bin (so a delete reaches exactly those who could see the record).
   * Realtime fan-out asks this before telling anyone an id; unknown entity -> none.
   */
  async readableIds(caller: Caller, entityKey: string, ids: readonly string[]): Promise<string[]> {
    const ctx = await this.ctx(caller);
    const m = ctx.model.entities.get(entityKey);
    const valid = ids.filter(isUuid);
    if (!m || !valid.length) return [];
    const { rows } = await sql<{ id: string }>`select id::text as id from ${this.table(ctx, m)}
      where id = any(${valid}::uuid[]) and ${this.pred(ctx, m, 'read')}`.execute(this.db);
    return rows.map((r) => r.id);
  }

  async history(caller: Caller, entityKey: string, id: string) {
    const ctx = await this.ctx(caller);
    const m = this.entity(ctx, entityKey);
    if (!isUuid(id)) throw new AppError('CRM_ERR_NOT_FOUND');
    // History is visible exactly when the record (live or in the recycle bin) is.
    const visible = await sql`select 1 from ${this.table(ctx, m)} where id = ${id}::uuid and ${this.pred(ctx, m, 'read')}`.execute(this.db);
    if (!visible.rows.length) throw new AppError('CRM_ERR_NOT_FOUND');
    const rows = await this.db.selectFrom('crm.audit_log').select(['at', 'actor_id', 'action', 'changes', 'via'])
      .where('workspace_id', '=', caller.ws.id).where('entity', '=', m.table).where('record_id', '=', id).orderBy('id', 'desc').limit(500).execute();
    // An automation's write names its flow (by its published label), the run, and the rule's reason when it gave one.
    const flows = new Map((await this.published(caller.ws)).documents.filter((d) => d.kind === 'flow').map((d) => [d.id, d.body.label]));
    return rows.map((r) => {
      const via = r.via as AuditVia | null;
      return {
        at: (r.at as Date).toISOString(), actorId: r.actor_id, action: r.action, changes: r.changes,
        ...(via ? { via: { flow: via.flow, label: flows.get(via.flow) ?? null, run: via.run, by: via.by, ...(via.reason ? { reason: via.reason } : {}) } } : {}),
      };
    });
  }

  /**
   * The caller's read permission on every entity, as the SQL predicate every
   * read here uses, for modules that join entity rows from elsewhere
   * (notifications, mentions, recent records). `title` is the title column
   * when it is one stored column, else undefined.
   */
  async readable(caller: Caller): Promise<ReadableEntity[]> {
    const ctx = await this.ctx(caller);
    return [...ctx.model.entities.values()].map((m) => {
      const t = m.fields.get(m.entity.titleField);
      const cols = t ? fieldTypes[t.type as FieldType].columns(t) : [];
      return { key: m.table, label: m.entity.label, table: this.table(ctx, m), title: cols.length === 1 ? cols[0]!.name : undefined,
        owned: m.entity.ownership === 'owned', activity: !!m.entity.isActivity,
        fields: m.fields, predicate: (alias: string) => this.pred(ctx, m, 'read', alias), searchable: m.searchable, pluralLabel: m.entity.pluralLabel ?? m.entity.label };
    });
  }

  private async readRow(ctx: Ctx, m: EntityModel, id: string, db: Kysely<any>, opts: { deleted?: boolean; lock?: boolean } = {}) {
    if (!isUuid(id)) return undefined;
    const { rows } = await sql<Record<string, unknown>>`select ${sql.join(selectColumns(m).map((c) => sql.ref(c)))},
        ${this.pred(ctx, m, 'update')} as __can_update, ${this.pred(ctx, m, 'delete')} as __can_delete
      from ${this.table(ctx, m)} where id = ${id}::uuid and deleted_at is ${opts.deleted ? sql`not null` : sql`null`}
      and ${this.pred(ctx, m, 'read')} ${opts.lock ? sql`for update` : sql``}`.execute(db);
    return rows[0];
  }

  private checkFieldList(m: EntityModel, keys: string[] | undefined, what: string): string[] | undefined {
    if (!keys) return undefined;
    const bad = keys.filter((k) => !m.fields.has(k));
    if (bad.length) {
      throw new AppError('CRM_ERR_UNKNOWN_FIELDS', { names: bad, allowed: [...m.fields.keys()] }, bad.map((k) => ({ pointer: `/${what}`, code: 'RECORD_UNKNOWN_FIELD', params: { field: k, allowed: [...m.fields.keys()] } })));
    }
    return keys;
  }

  private checkExpand(m: EntityModel, keys: string[] | undefined): string[] {
    if (!keys?.length) return [];
    const relations = [...m.fields.values()].filter((f) => f.type === 'relation').map((f) => f.key);
    const bad = keys.filter((k) => !relations.includes(k));
    if (bad.length) throw new AppError('CRM_ERR_UNKNOWN_FIELDS', { names: bad, allowed: relations }, bad.map((k) => ({ pointer: '/expand', code: 'RECORD_UNKNOWN_FIELD', params: { field: k, allowed: relations } })));
    return keys;
  }

  private parseSort(m: EntityModel, sort: string | undefined): SortKey[] {
    if (!sort) return [{ column: 'created_at', direction: 'desc', kind: 'datetime' }];
    const out: SortKey[] = [];
    const allowed = sortableKeys(m);
    for (const part of sort.split(',').slice(0, 5)) {
      const desc = part.startsWith('-');
      const key = desc ? part.slice(1) : part;
      const kind = m.kinds.get(key) ?? SYSTEM_SORTABLE[key];
      if (!kind || kind === 'textArray' || (key === 'last_activity_at' && !m.entity.hasActivities)) {
        throw new AppError('CRM_ERR_UNKNOWN_FIELDS', { names: [key], allowed }, [{ pointer: '/sort', code: 'RECORD_UNKNOWN_FIELD', params: { field: key, allowed } }]);
      }
      out.push({ column: key, direction: desc ? 'desc' : 'asc', kind });
    }
    return out;
  }

  private compileFilter(ctx: Ctx, m: EntityModel, filter: unknown) {
    const issues = validateRule(filter, m.ruleSchema);
    if (issues.length) {
      const allowed = Object.keys(m.ruleSchema.vars).filter((v) => !v.startsWith('$'));
      throw new AppError('CRM_ERR_BAD_FILTER', { allowed }, issues.map((i) => ({ pointer: `/filter${i.pointer}`, code: i.code, params: { ...i.params, allowed } })));
    }
    const vars = Object.fromEntries(Object.entries(m.ruleSchema.vars).map(([k, spec]) =>
      [k, k === '$user.id' ? { kind: spec.kind, value: ctx.caller.userId } : k === '$now' ? { kind: spec.kind, value: this.clock.now().toISOString() } : { kind: spec.kind, column: k }]));
    return compileRule(filter, { vars }, this.evalCtx(ctx));
  }

  private async expand(ctx: Ctx, m: EntityModel, data: Wire[], keys: string[]) {
    for (const key of keys) {
      const f = m.fields.get(key)!;
      const target = ctx.model.entities.get(String(f.target));
      const ids = [...new Set(data.map((d) => d[key]).filter((v): v is string => typeof v === 'string'))];
      if (!target || !ids.length) continue;
      const title = target.fields.has(target.entity.titleField) ? target.entity.titleField : 'id';
      const { rows } = await sql<{ id: string; title: unknown }>`select id, ${sql.ref(title)} as title from ${this.table(ctx, target)}
        where id = any(${ids}::uuid[]) and deleted_at is null and ${this.pred(ctx, target, 'read')}`.execute(this.db);
      const byId = new Map(rows.map((r) => [r.id, { id: r.id, title: r.title }]));
      for (const d of data) {
        const hit = byId.get(d[key] as string);
        if (hit) d.expand = { ...((d.expand as object) ?? {}), [key]: hit };
      }
    }
  }

  // ---------- writes ----------

  async create(caller: Caller, entityKey: string, body: unknown, opts: { idempotencyKey?: string } = {}) {
    const ctx = await this.ctx(caller);
    const m = this.entity(ctx, entityKey);
    if (!canCreate(ctx.access, m.entity.key)) throw new AppError('CRM_ERR_FORBIDDEN');
    const prepared = this.prepareCreate(ctx, m, body, '');
    if (prepared.details.length) throw new AppError('CRM_ERR_INVALID_RECORD', { count: prepared.details.length }, prepared.details);
    if (!opts.idempotencyKey && this.simpleInsert(ctx, m, prepared.values)) {
      return { record: toWire(m, await this.insertOneStatement(ctx, m, prepared)), replayed: false };
    }
    return this.inTx(caller, async (tx) => {
      if (opts.idempotencyKey) {
        const claimed = await tx.insertInto('crm.idempotency_keys')
          .values({ workspace_id: caller.ws.id, user_id: caller.userId, key: opts.idempotencyKey, entity: m.table, record_id: prepared.id })
          .onConflict((oc) => oc.doNothing()).returning('record_id').executeTakeFirst();
        if (!claimed) {
          const first = await tx.selectFrom('crm.idempotency_keys').select(['record_id', 'entity']).where('workspace_id', '=', caller.ws.id)
            .where('user_id', '=', caller.userId).where('key', '=', opts.idempotencyKey).executeTakeFirstOrThrow();
          if (first.entity !== m.table) throw new AppError('CRM_ERR_DUPLICATE', { name: 'Idempotency-Key' });
          const row = await this.readRow(ctx, m, first.record_id, tx);
          if (!row) throw new AppError('CRM_ERR_NOT_FOUND');
          return { record: toWire(m, row), replayed: true };
        }
      }
      const record = toWire(m, await this.insertPrepared(ctx, m, tx, prepared));
      return { record, replayed: false };
    });
  }

  async batchCreate(caller: Caller, entityKey: string, records: unknown) {
    const ctx = await this.ctx(caller);
    const m = this.entity(ctx, entityKey);
    if (!canCreate(ctx.access, m.entity.key)) throw new AppError('CRM_ERR_FORBIDDEN');
    if (!Array.isArray(records) || records.length === 0) throw new AppError('CRM_ERR_BAD_REQUEST', { reason: 'records must be a non-empty array' });
    if (records.length > 1000) throw new AppError('CRM_ERR_PAYLOAD_TOO_LARGE');
    const details: ErrorDetail[] = [];
    const prepared = records.map((body, i) => {
      try {
        const p = this.prepareCreate(ctx, m, body, `/records/${i}`);
        details.push(...p.details);
        return p;
      } catch (err) {
        if (err instanceof AppError) {
          details.push(...(err.details.length ? err.details : [{ pointer: `/records/${i}`, code: 'RECORD_INVALID_VALUE', params: { reason: err.message } }]));
          return undefined;
        }
        throw err;
      }
    });
    if (details.length) throw new AppError('CRM_ERR_INVALID_RECORD', { count: details.length }, details);
    const ready = prepared as NonNullable<(typeof prepared)[number]>[];
    if (ready.every((p) => this.simpleInsert(ctx, m, p.values))) {
      return (await this.insertManyOneStatement(ctx, m, ready)).map((row) => toWire(m, row));
    }
    return this.inTx(caller, async (tx) => {
      const out: Wire[] = [];
      const assigned: Assignment[] = [];
      for (const p of ready) out.push(toWire(m, await this.insertPrepared(ctx, m, tx, p, assigned)));
      await this.assigned(ctx, tx, assigned);
      return out;
    });
  }

  private prepareCreate(ctx: Ctx, m: EntityModel, body: unknown, at: string) {
    const keys = checkKeys(m, body, { ownerAllowed: true, pointer: at });
    const { values, details } = checkValues(m, keys, at);
    if (m.entity.ownership === 'owned') {
      if (values.owner_id === undefined) values.owner_id = ctx.caller.userId;
      else if (values.owner_id !== ctx.caller.userId && !canAssignOwner(ctx.access, m.entity.key)) {
        details.push({ pointer: `${at}/owner_id`, code: 'RECORD_PROTECTED_FIELD', params: { field: 'owner_id' } });
      }
    }
    for (const [k, f] of m.fields) {
      if (values[k] === undefined && f.defaultValue !== undefined && m.writable.has(k)) values[k] = f.defaultValue;
    }
    const after: Wire = Object.fromEntries([...m.fields.keys()].map((k) => [k, values[k] ?? null]));
    if (!details.length) {
      details.push(...checkRecord(m, null, after, new Set(Object.keys(values)), this.evalCtx(ctx)).map((d) => ({ ...d, pointer: `${at}${d.pointer}` })));
    }
    return { id: uuidv7(this.clock.now().getTime()), values, after, details };
  }

  /**
   * Most creates need nothing computed after the row is written: then the row
   * and its audit row go in ONE statement (atomic by itself), with no
   * BEGIN/COMMIT round trips.
   */
  private simpleInsert(ctx: Ctx, m: EntityModel, values: Wire): boolean {
    if (m.autonumbers.length || m.formulas.length || m.rollupTargets.length || m.pipelines.length || m.entity.isActivity || this.hooks.any) return false;
    // Another owner: the careful path, which also notifies them (`assigned`).
    if (values.owner_id !== undefined && values.owner_id !== null && values.owner_id !== ctx.caller.userId) return false;
    return Object.keys(values).every((k) => {
      const t = m.fields.get(k)?.type;
      return k === 'owner_id' || (t !== 'relation' && t !== 'user' && t !== 'file');
    });
  }

  private async insertOneStatement(ctx: Ctx, m: EntityModel, p: { id: string; values: Wire }) {
    return (await this.insertManyOneStatement(ctx, m, [p]))[0]!;
  }

  /** Rows and their audit rows in one INSERT ... RETURNING statement (all or nothing by itself). */
  private async insertManyOneStatement(ctx: Ctx, m: EntityModel, batch: { id: string; values: Wire }[]) {
    const now = this.clock.now();
    const rows = batch.map((p) => ({
      id: p.id, created_at: now, updated_at: now, created_by: ctx.caller.userId, updated_by: ctx.caller.userId, version: 1,
      ...toColumns(m, p.values), ...pinyinColumn(m.pinyin, p.values),
    }));
    const names = [...new Set(rows.flatMap((r) => Object.keys(r)))];
    const changes = batch.map((p) => {
      const c: Record<string, unknown> = { version: 1 };
      for (const [k, v] of Object.entries(p.values)) {
        const to = k === 'owner_id' ? v : auditValue(m.fields.get(k)!, v);
        if (!isEmpty(to)) c[k] = { from: null, to };
      }
      return c;
    });
    // The whole batch travels as one JSON parameter, typed by jsonb_to_recordset: far cheaper to send
    // and parse than thousands of bound parameters.
    const types = columnTypes(m);
    const defs = sql.join(names.map((n) => sql`${sql.ref(n)} ${sql.raw(types.get(n)!)}`));
    const json = JSON.stringify(rows.map((r, i) => ({ ...r, __changes: changes[i] })));
    const { rows: out } = await guardUnique(m, () => sql<Record<string, unknown>>`
      with src as (select * from jsonb_to_recordset(${json}::jsonb) as x(${defs}, __changes jsonb)),
      ins as (
        insert into ${this.table(ctx, m)} (${sql.join(names.map((n) => sql.ref(n)))}) select ${sql.join(names.map((n) => sql.ref(n)))} from src
        returning ${this.returning(m)}
      ), aud as (
        insert into crm.audit_log (workspace_id, at, actor_id, ip, entity, record_id, action, changes, via)
        select ${ctx.caller.ws.id}::uuid, ${now}, ${ctx.caller.userId}::uuid, ${ctx.caller.ip ?? null}, ${m.table}, src.id::text, 'record.create', src.__changes, ${viaJson(ctx.caller)}::jsonb
        from src
      )
      select * from ins`.execute(this.writer(ctx)));
    const byId = new Map(out.map((r) => [r.id as string, r]));
    return batch.map((p) => byId.get(p.id)!);
  }

  /** `assigned`: collects the write's assignment for one notification statement later; without it, notifies now. */
  private async insertPrepared(ctx: Ctx, m: EntityModel, tx: Transaction<any>, p: { id: string; values: Wire; after: Wire }, assigned?: Assignment[]) {
    await this.checkRelations(ctx, m, tx, p.values);
    const now = this.clock.now();
    const cols: Record<string, unknown> = {
      id: p.id, created_at: now, updated_at: now, created_by: ctx.caller.userId, updated_by: ctx.caller.userId, version: 1,
      ...toColumns(m, p.values), ...pinyinColumn(m.pinyin, p.values),
    };
    for (const f of m.autonumbers) cols[f.key] = await this.nextNumber(ctx, m, f, tx);
    const names = Object.keys(cols);
    const inserted = await guardUnique(m, () => sql<Record<string, unknown>>`insert into ${this.table(ctx, m)} (${sql.join(names.map((n) => sql.ref(n)))})
      values (${sql.join(names.map((n) => sql`${cols[n]}`))}) returning ${this.returning(m)}`.execute(tx));
    const row = await this.afterWrite(ctx, m, tx, p.id, null, inserted.rows[0]!);
    await this.audit(ctx, m, tx, p.id, 'create', diff(m, null, row));
    const handed = assignmentOf(ctx.model, m, ctx.caller.userId, null, row);
    if (handed && assigned) assigned.push(handed);
    else if (handed) await this.assigned(ctx, tx, [handed]);
    await this.hooks.run({ kind: 'create', entity: m.table, recordId: p.id, before: null, after: row, tx } satisfies WriteEvent);
    return row;
  }

  async update(caller: Caller, entityKey: string, id: string, body: unknown, ifMatch: number) {
    const ctx = await this.ctx(caller);
    const m = this.entity(ctx, entityKey);
    // owner_id may be sent (a form re-sends it unchanged); changing it needs the assign right, checked below.
    const keys = checkKeys(m, body, { ownerAllowed: true });
    const { values, details } = checkValues(m, keys);
    if (details.length) throw new AppError('CRM_ERR_INVALID_RECORD', { count: details.length }, details);
    if (this.simpleUpdate(ctx, m, values)) {
      const row = await this.updateOneStatement(ctx, m, id, values, ifMatch);
      if (row) return toWire(m, row);
      // Nothing updated: find out why (invisible, forbidden, or a stale version) the careful way.
    }
    return this.inTx(caller, (tx) => this.updateLocked(ctx, m, tx, id, values, ifMatch));
  }

  /** The careful update: lock, version, permission, rules and gates, references, computed fields, audit. */
  private async updateLocked(ctx: Ctx, m: EntityModel, tx: Transaction<any>, id: string, values: Wire, ifMatch: number): Promise<Wire> {
    const caller = ctx.caller;
    {
      const current = await this.lockForWrite(ctx, m, tx, id, ifMatch, 'update');
      const before = toWire(m, current);
      if (values.owner_id !== undefined && values.owner_id !== before.owner_id && !canAssignOwner(ctx.access, m.entity.key)) {
        throw new AppError('CRM_ERR_FORBIDDEN');
      }
      const changed = new Set(Object.keys(values).filter((k) => JSON.stringify(values[k]) !== JSON.stringify(before[k])));
      const after: Wire = { ...before, ...values };
      const problems = checkRecord(m, before, after, changed, this.evalCtx(ctx));
      if (problems.length) throw new AppError('CRM_ERR_INVALID_RECORD', { count: problems.length }, problems);
      const checked = Object.fromEntries([...changed].map((k) => [k, values[k]]));
      await this.checkRelations(ctx, m, tx, checked);
      Object.assign(values, checked);
      const cols = { ...toColumns(m, values), ...pinyinColumn(m.pinyin, after, changed) };
      const sets = Object.entries(cols).map(([c, v]) => sql`${sql.ref(c)} = ${v}`);
      if (!m.formulas.length && !m.rollupTargets.length && !this.hooks.any && !m.pipelines.some((p) => changed.has(p.field))) {
        // Nothing to compute after the write: the row and its audit row in one statement.
        const audit: Record<string, unknown> = { version: (current.version as number) + 1 };
        for (const k of changed) audit[k] = { from: before[k] ?? null, to: k === 'owner_id' ? values[k] : auditValue(m.fields.get(k)!, values[k]) };
        const { rows } = await guardUnique(m, () => sql<Record<string, unknown>>`
          with upd as (
            update ${this.table(ctx, m)} set ${sql.join([...sets, sql`updated_at = ${this.clock.now()}`, sql`updated_by = ${caller.userId}::uuid`, sql`version = version + 1`])}
            where id = ${id}::uuid returning ${this.returning(m)}
          ), aud as (
            insert into crm.audit_log (workspace_id, at, actor_id, ip, entity, record_id, action, changes, via)
            select ${caller.ws.id}::uuid, ${this.clock.now()}, ${caller.userId}::uuid, ${caller.ip ?? null}, ${m.table}, upd.id::text, 'record.update', ${JSON.stringify(audit)}::jsonb, ${viaJson(caller)}::jsonb from upd
          )
          select * from upd`.execute(tx));
        await this.assigned(ctx, tx, [assignmentOf(ctx.model, m, caller.userId, current, rows[0]!)]);
        return toWire(m, rows[0]!);
      }
      const updated = await guardUnique(m, () => sql<Record<string, unknown>>`update ${this.table(ctx, m)} set ${sql.join([...sets,
        sql`updated_at = ${this.clock.now()}`, sql`updated_by = ${caller.userId}::uuid`, sql`version = version + 1`])}
        where id = ${id}::uuid returning ${this.returning(m)}`.execute(tx));
      const row = await this.afterWrite(ctx, m, tx, id, current, updated.rows[0]!);
      await this.audit(ctx, m, tx, id, 'update', diff(m, current, row));
      await this.assigned(ctx, tx, [assignmentOf(ctx.model, m, caller.userId, current, row)]);
      await this.hooks.run({ kind: 'update', entity: m.table, recordId: id, before: current, after: row, tx });
      return toWire(m, row);
    }
  }

  /**
   * Converts a record with a `conversion` (a lead) into an account, a contact
   * and optionally an opportunity, in ONE transaction, all through the same
   * checks as any write. An account with the same normalised name or phone is
   * a duplicate: the caller must pick it (`accountId`) or insist (`newAccount`).
   */
  async convert(caller: Caller, entityKey: string, id: string, input: ConvertInput, ifMatch: number) {
    const ctx = await this.ctx(caller);
    const m = this.entity(ctx, entityKey);
    const conv = m.entity.conversion;
    if (!conv) throw new AppError('CRM_ERR_NOT_FOUND');
    const [accounts, contacts, opportunities] = (['accounts', 'contacts', 'opportunities'] as const).map((k) => ctx.model.entities.get(k));
    if (!accounts || !contacts || (input.createOpportunity && !opportunities)) throw new AppError('CRM_ERR_NOT_FOUND');
    return this.inTx(caller, async (tx) => {
      const current = await this.lockForWrite(ctx, m, tx, id, ifMatch, 'update');
      const lead = toWire(m, current);
      if (conv.status.closed.includes(String(lead[conv.status.field])) || lead[conv.links.account]) {
        throw new AppError('CRM_ERR_ALREADY_CONVERTED', {}, [], { links: { account: lead[conv.links.account] ?? null, contact: lead[conv.links.contact] ?? null } });
      }
      const map = (mapping: Record<string, string> | undefined, target: EntityModel) =>
        Object.fromEntries(Object.entries(mapping ?? {}).filter(([to, from]) => target.writable.has(to) && !isEmpty(lead[from])).map(([to, from]) => [to, lead[from]]));
      const owner = lead.owner_id ?? caller.userId;
      const assigned: Assignment[] = [];

      let accountId = input.accountId;
      if (accountId) {
        const seen = await sql`select 1 from ${this.table(ctx, accounts)} where id = ${accountId}::uuid and deleted_at is null and ${this.pred(ctx, accounts, 'read')}`.execute(tx);
        if (!seen.rows.length) throw new AppError('CRM_ERR_INVALID_RECORD', { count: 1 }, [{ pointer: '/accountId', code: 'RECORD_RELATION_NOT_FOUND', params: { field: 'accountId' } }]);
      } else {
        const fields = { ...map(conv.account, accounts), ...input.account };
        if (!input.newAccount) {
          const dupes = await this.accountDuplicates(ctx, accounts, tx, String(fields.name ?? ''), typeof fields.phone === 'string' ? fields.phone : undefined);
          if (dupes.length) throw new AppError('CRM_ERR_DUPLICATE', { name: String(fields.name ?? fields.phone) }, [], { candidates: dupes });
        }
        accountId = (await this.createIn(ctx, accounts, tx, { ...fields, owner_id: owner }, assigned)).id as string;
      }
      const contact = await this.createIn(ctx, contacts, tx, { ...map(conv.contact, contacts), ...input.contact, account: accountId, owner_id: owner }, assigned);
      let opportunityId: string | null = null;
      if (input.createOpportunity && opportunities) {
        const stage = opportunities.pipelines[0]?.stages[0]?.key;
        const fields: Wire = { ...map(conv.opportunity, opportunities), name: `${lead.company ?? lead.name} 商机`, ...input.opportunity };
        opportunityId = (await this.createIn(ctx, opportunities, tx, { ...fields, account: accountId, contact: contact.id, ...(stage && !fields.stage ? { stage } : {}), owner_id: owner }, assigned)).id as string;
      }
      const links: Wire = { [conv.status.field]: conv.status.converted, [conv.links.account]: accountId, [conv.links.contact]: contact.id };
      if (conv.links.opportunity && opportunityId) links[conv.links.opportunity] = opportunityId;
      if (conv.links.at) links[conv.links.at] = this.clock.now().toISOString();
      const updated = await this.updateLocked(ctx, m, tx, id, links, ifMatch);
      await this.assigned(ctx, tx, assigned);
      return { lead: updated, accountId, contactId: contact.id as string, opportunityId };
    });
  }

  private async createIn(ctx: Ctx, m: EntityModel, tx: Transaction<any>, body: Wire, assigned: Assignment[]) {
    if (!canCreate(ctx.access, m.entity.key)) throw new AppError('CRM_ERR_FORBIDDEN');
    const p = this.prepareCreate(ctx, m, body, `/${m.table}`);
    if (p.details.length) throw new AppError('CRM_ERR_INVALID_RECORD', { count: p.details.length }, p.details);
    return this.insertPrepared(ctx, m, tx, p, assigned);
  }

  /** Accounts the caller can see with the same normalised name, or the same phone (exact, for now). */
  private async accountDuplicates(ctx: Ctx, accounts: EntityModel, tx: Transaction<any>, name: string, phone: string | undefined) {
    const norm = normaliseName(name);
    const title = accounts.entity.titleField;
    const hasPhone = accounts.fields.has('phone') && !!phone;
    const { rows } = await sql<{ id: string; title: string }>`select id, ${sql.ref(title)} as title from ${this.table(ctx, accounts)}
      where deleted_at is null and ${this.pred(ctx, accounts, 'read')}
      and (regexp_replace(lower(normalize(${sql.ref(title)}, NFKC)), '[[:space:]()（）]', '', 'g') = ${norm} ${hasPhone ? sql`or phone = ${phone}` : sql``})
      limit 5`.execute(tx);
    return rows;
  }

  async remove(caller: Caller, entityKey: string, id: string, ifMatch: number) {
    const ctx = await this.ctx(caller);
    const m = this.entity(ctx, entityKey);
    return this.inTx(caller, async (tx) => {
      await this.lockForWrite(ctx, m, tx, id, ifMatch, 'delete');
      await this.cascadeDelete(ctx, m, tx, id, 0);
      const row = await this.readRow(ctx, m, id, tx, { deleted: true });
      return row ? toWire(m, row) : { id };
    });
  }

  async restore(caller: Caller, entityKey: string, id: string, ifMatch: number) {
    const ctx = await this.ctx(caller);
    const m = this.entity(ctx, entityKey);
    return this.inTx(caller, async (tx) => {
      const current = await this.readRow(ctx, m, id, tx, { deleted: true, lock: true });
      if (!current) throw new AppError('CRM_ERR_NOT_FOUND');
      if (!current.__can_delete) throw new AppError('CRM_ERR_FORBIDDEN');
      if (current.version !== ifMatch) throw await this.conflict(ctx, m, tx, id, ifMatch, current.version as number);
      const restored = await guardUnique(m, () => sql<Record<string, unknown>>`update ${this.table(ctx, m)} set deleted_at = null, version = version + 1, updated_at = ${this.clock.now()}, updated_by = ${caller.userId}::uuid
        where id = ${id}::uuid returning ${this.returning(m)}`.execute(tx));
      const row = await this.afterWrite(ctx, m, tx, id, current, restored.rows[0]!);
      await this.audit(ctx, m, tx, id, 'restore', { version: row.version });
      await this.hooks.run({ kind: 'restore', entity: m.table, recordId: id, before: current, after: row, tx });
      return toWire(m, row);
    });
  }

  /**
   * An update whose outcome needs no look at the row first: no rules or gates,
   * nothing computed after it, no references to check, no deactivated option.
   */
  private simpleUpdate(ctx: Ctx, m: EntityModel, values: Wire): boolean {
    if (m.entity.rules.length || m.pipelines.length || m.formulas.length || m.rollupTargets.length || m.entity.isActivity || this.hooks.any) return false;
    // The pinyin column of several fields needs the ones not sent: read the row first.
    if (m.pinyin.length > 1 && m.pinyin.some((k) => k in values)) return false;
    return Object.entries(values).every(([k, v]) => {
      // An owner change takes the careful path, which also notifies the new owner (`assigned`).
      if (k === 'owner_id') return false;
      const f = m.fields.get(k)!;
      if (f.type === 'relation' || f.type === 'user' || f.type === 'file') return false;
      if (f.required && isEmpty(v)) return false;
      if (f.type === 'select' || f.type === 'multiselect') {
        const inactive = ((f.options ?? []) as { key: string; active?: boolean }[]).filter((o) => o.active === false).map((o) => o.key);
        if (([] as unknown[]).concat(v ?? []).some((x) => inactive.includes(x as string))) return false;
      }
      return true;
    });
  }

  /** Version check, permission, update and audit row in ONE statement; undefined when no row qualified. */
  private async updateOneStatement(ctx: Ctx, m: EntityModel, id: string, values: Wire, ifMatch: number) {
    if (!isUuid(id)) return undefined;
    const now = this.clock.now();
    // simpleUpdate let this through only if the pinyin column has at most one source, so `values` holds it when it changes.
    const sets = Object.entries({ ...toColumns(m, values), ...pinyinColumn(m.pinyin, values, Object.keys(values)) }).map(([c, v]) => sql`${sql.ref(c)} = ${v}`);
    const fields = Object.keys(values).map((k) => m.fields.get(k)!);
    const audit = sql.join([sql`jsonb_build_object('version', upd.version)`, ...fields.map((f) => sql`case when ${changedSql(f, 'cur', 'upd')}
      then jsonb_build_object(${f.key}::text, jsonb_build_object('from', ${wireSql(f, 'cur')}, 'to', ${wireSql(f, 'upd')})) else '{}'::jsonb end`)], sql` || `);
    const t = this.table(ctx, m);
    const { rows } = await guardUnique(m, () => sql<Record<string, unknown>>`
      with cur as (
        select * from ${t} where id = ${id}::uuid and deleted_at is null and ${this.pred(ctx, m, 'read')} and ${this.pred(ctx, m, 'update')}
          and version = ${ifMatch}::int
        for update
      ), upd as (
        update ${t} as u set ${sql.join([...sets, sql`updated_at = ${now}`, sql`updated_by = ${ctx.caller.userId}::uuid`, sql`version = u.version + 1`])}
        from cur where u.id = cur.id
        returning ${sql.join(selectColumns(m).map((c) => sql.ref(`u.${c}`)))}
      ), aud as (
        insert into crm.audit_log (workspace_id, at, actor_id, ip, entity, record_id, action, changes, via)
        select ${ctx.caller.ws.id}::uuid, ${now}, ${ctx.caller.userId}::uuid, ${ctx.caller.ip ?? null}, ${m.table}, upd.id::text, 'record.update', ${audit}, ${viaJson(ctx.caller)}::jsonb
        from upd join cur on cur.id = upd.id
      )
      select * from upd`.execute(this.writer(ctx)));
    return rows[0];
  }

  /** Locks the row; 404 if invisible, 403 if visible but not allowed, 409 if the version moved. */
  private async lockForWrite(ctx: Ctx, m: EntityModel, tx: Transaction<any>, id: string, ifMatch: number, right: 'update' | 'delete') {
    const current = await this.readRow(ctx, m, id, tx, { lock: true });
    if (!current) throw new AppError('CRM_ERR_NOT_FOUND');
    if (!current[right === 'update' ? '__can_update' : '__can_delete']) throw new AppError('CRM_ERR_FORBIDDEN');
    if (current.version !== ifMatch) throw await this.conflict(ctx, m, tx, id, ifMatch, current.version as number);
    return current;
  }

  private async conflict(ctx: Ctx, m: EntityModel, tx: Transaction<any>, id: string, ifMatch: number, version: number) {
    const rows = await tx.selectFrom('crm.audit_log').select('changes').where('workspace_id', '=', ctx.caller.ws.id)
      .where('entity', '=', m.table).where('record_id', '=', id).where(sql`(changes->>'version')::int`, '>', ifMatch).execute();
    const fields = [...new Set(rows.flatMap((r) => Object.keys(r.changes as object).filter((k) => k !== 'version')))].sort();
    return new AppError('CRM_ERR_VERSION_CONFLICT', { current: version }, [], { currentVersion: version, changedFields: fields });
  }

  private async cascadeDelete(ctx: Ctx, m: EntityModel, tx: Transaction<any>, id: string, depth: number) {
    if (depth > 10) throw new AppError('CRM_ERR_INTERNAL');
    // Who points at this record, and what their relation says to do.
    const blockers: ErrorDetail[] = [];
    const cascades: { child: EntityModel; field: string }[] = [];
    for (const child of ctx.model.entities.values()) {
      for (const f of child.fields.values()) {
        if (f.type !== 'relation' || f.target !== m.table) continue;
        if (f.onDelete === 'keep') continue;
        if (f.onDelete === 'cascade') {
          cascades.push({ child, field: f.key });
          continue;
        }
        const { rows } = await sql<{ n: number; ids: string[] }>`select count(*)::int as n, (array_agg(id::text order by id))[1:5] as ids
          from ${this.table(ctx, child)} where ${sql.ref(f.key)} = ${id}::uuid and deleted_at is null`.execute(tx);
        if (rows[0]!.n > 0) blockers.push({ pointer: `/${child.table}/${f.key}`, code: 'RECORD_DELETE_BLOCKED', params: { entity: child.table, field: f.key, count: rows[0]!.n, samples: rows[0]!.ids } });
      }
    }
    if (blockers.length) throw new AppError('CRM_ERR_DELETE_RESTRICTED', {}, blockers);
    const now = this.clock.now();
    const { rows } = await sql<{ version: number }>`update ${this.table(ctx, m)} set deleted_at = ${now}, version = version + 1, updated_at = ${now}, updated_by = ${ctx.caller.userId}::uuid
      where id = ${id}::uuid and deleted_at is null returning version`.execute(tx);
    if (!rows.length) return;
    await this.audit(ctx, m, tx, id, 'delete', { version: rows[0]!.version });
    await this.hooks.run({ kind: 'delete', entity: m.table, recordId: id, before: null, after: await this.rawRow(ctx, m, tx, id), tx });
    for (const { child, field } of cascades) {
      const kids = await sql<{ id: string }>`select id from ${this.table(ctx, child)} where ${sql.ref(field)} = ${id}::uuid and deleted_at is null for update`.execute(tx);
      for (const k of kids.rows) await this.cascadeDelete(ctx, child, tx, k.id, depth + 1);
    }
    await this.refreshRollups(ctx, m, tx, null, await this.rawRow(ctx, m, tx, id));
  }

  /**
   * `assigned` notifications: whoever a write hands a record to (owner now
   * someone other than the caller) hears of it, in ONE statement on the
   * write's transaction, so a write that fails or rolls back notifies nobody.
   * Every owner change reaches it: creates with another owner and every
   * owner_id update take the careful paths (`insertPrepared`, `updateLocked`,
   * both of its branches); the one-statement paths refuse them
   * (`simpleInsert`, `simpleUpdate`). Not a write hook: a registered hook
   * would push every write off the one-statement paths.
   */
  private async assigned(ctx: Ctx, tx: Transaction<any>, list: (Assignment | undefined)[]) {
    const handed = list.filter((a): a is Assignment => !!a);
    if (handed.length) await notifyAssigned(tx, ctx.caller.ws, ctx.caller.userId, handed, this.clock.now());
  }

  private returning(m: EntityModel) {
    return sql.join(selectColumns(m).map((c) => sql.ref(c)));
  }

  /**
   * Computed columns after a write: formulas (in dependency order, computed by
   * PostgreSQL so money stays exact), then the parents' rollups. Returns the
   * final row; `written` (the RETURNING row) is it when there are no formulas.
   */
  private async afterWrite(ctx: Ctx, m: EntityModel, tx: Transaction<any>, id: string, before: Record<string, unknown> | null, written: Record<string, unknown>) {
    let row = written;
    if (m.formulas.length) {
      await this.computeFormulas(ctx, m, tx, [id]);
      row = await this.rawRow(ctx, m, tx, id);
    }
    await this.refreshRollups(ctx, m, tx, before, row);
    await this.touchActivity(ctx, m, tx, row);
    return row;
  }

  /** An activity written now is the latest activity of every record it links to that tracks activities. */
  private async touchActivity(ctx: Ctx, m: EntityModel, tx: Transaction<any>, row: Record<string, unknown>) {
    if (!m.entity.isActivity || row.deleted_at) return;
    for (const f of m.fields.values()) {
      const target = f.type === 'relation' ? ctx.model.entities.get(String(f.target)) : undefined;
      if (!target?.entity.hasActivities || typeof row[f.key] !== 'string') continue;
      await sql`update ${this.table(ctx, target)} set last_activity_at = greatest(coalesce(last_activity_at, '-infinity'::timestamptz), ${this.clock.now()})
        where id = ${row[f.key] as string}::uuid`.execute(tx);
    }
  }

  private async rawRow(ctx: Ctx, m: EntityModel, tx: Transaction<any>, id: string) {
    const { rows } = await sql<Record<string, unknown>>`select ${sql.join(selectColumns(m).map((c) => sql.ref(c)))} from ${this.table(ctx, m)} where id = ${id}::uuid`.execute(tx);
    return rows[0]!;
  }

  private async refreshRollups(ctx: Ctx, m: EntityModel, tx: Transaction<any>, before: Record<string, unknown> | null, after: Record<string, unknown>) {
    for (const t of m.rollupTargets) {
      const parent = ctx.model.entities.get(t.parent);
      if (!parent) continue;
      const ids = [...new Set([before?.[t.via], after[t.via]].filter((v): v is string => typeof v === 'string'))];
      if (!ids.length) continue;
      const f = t.parentField;
      const agg = f.aggregate === 'count' ? sql`count(*)` : sql`${sql.raw(String(f.aggregate))}(c.${sql.ref(String(f.field))})`;
      const fallback = f.aggregate === 'count' || f.aggregate === 'sum' ? sql`0` : sql`null`;
      await sql`update ${this.table(ctx, parent)} as p set ${sql.ref(f.key)} = coalesce((select ${agg} from ${this.table(ctx, m)} as c
        where c.${sql.ref(t.via)} = p.id and c.deleted_at is null), ${fallback}) where p.id = any(${ids}::uuid[])`.execute(tx);
      // The parent's formulas may read the rollup (a quote total from its subtotal and tax).
      await this.computeFormulas(ctx, parent, tx, ids);
    }
  }

  private async computeFormulas(ctx: Ctx, m: EntityModel, tx: Transaction<any>, ids: string[]) {
    if (!m.formulas.length) return;
    const columns = new Set([...m.fields.values()].flatMap((f) => fieldTypes[f.type as FieldType].columns(f).map((c) => c.name)));
    for (const f of orderFormulas(m.formulas)) {
      await sql`update ${this.table(ctx, m)} set ${sql.ref(f.key)} = ${compileFormula(f.expression, columns)} where id = any(${ids}::uuid[])`.execute(tx);
    }
  }

  private async checkRelations(ctx: Ctx, m: EntityModel, tx: Transaction<any>, values: Wire) {
    const details: ErrorDetail[] = [];
    for (const [key, v] of Object.entries(values)) {
      const f = m.fields.get(key);
      if (!f || typeof v !== 'string') continue;
      if (f.type === 'relation') {
        const target = ctx.model.entities.get(String(f.target));
        if (!target) continue;
        const { rows } = await sql`select 1 from ${this.table(ctx, target)} where id = ${v}::uuid and deleted_at is null and ${this.pred(ctx, target, 'read')}`.execute(tx);
        if (!rows.length) details.push({ pointer: `/${key}`, code: 'RECORD_RELATION_NOT_FOUND', params: { field: key } });
      }
      if (f.type === 'user') {
        const ok = await tx.selectFrom('crm.workspace_members').select('user_id').where('workspace_id', '=', ctx.caller.ws.id).where('user_id', '=', v).executeTakeFirst();
        if (!ok) details.push({ pointer: `/${key}`, code: 'RECORD_RELATION_NOT_FOUND', params: { field: key } });
      }
    }
    for (const [key, v] of Object.entries(values)) {
      const f = m.fields.get(key);
      if (f?.type !== 'file' || !Array.isArray(v)) continue;
      // File references must be files of this workspace; name, size and type come from what was stored, not the client.
      const ids = (v as { id: string }[]).map((x) => x.id);
      const stored = ids.length ? await tx.selectFrom('crm.files').select(['id', 'name', 'size', 'mime']).where('workspace_id', '=', ctx.caller.ws.id).where('id', 'in', ids).execute() : [];
      const byId = new Map(stored.map((r) => [r.id as string, { id: r.id, name: r.name, size: Number(r.size), mime: r.mime }]));
      if (ids.some((id) => !byId.has(id))) details.push({ pointer: `/${key}`, code: 'RECORD_RELATION_NOT_FOUND', params: { field: key } });
      else values[key] = ids.map((id) => byId.get(id));
    }
    if (typeof values.owner_id === 'string') {
      const ok = await tx.selectFrom('crm.workspace_members').select('user_id').where('workspace_id', '=', ctx.caller.ws.id).where('user_id', '=', values.owner_id).where('status', '=', 'active').executeTakeFirst();
      if (!ok) details.push({ pointer: '/owner_id', code: 'RECORD_RELATION_NOT_FOUND', params: { field: 'owner_id' } });
    }
    if (details.length) throw new AppError('CRM_ERR_INVALID_RECORD', { count: details.length }, details);
  }

  private async nextNumber(ctx: Ctx, m: EntityModel, f: Field, tx: Transaction<any>): Promise<string> {
    const pattern = String(f.pattern);
    const now = this.clock.now();
    const parts = zonedParts(now, ctx.caller.ws.settings.timeZone);
    const period = [/\{YYYY\}|\{YY\}/.test(pattern) ? parts.y : '', /\{MM\}/.test(pattern) ? parts.m : '', /\{DD\}/.test(pattern) ? parts.d : ''].join('') || 'all';
    const { rows } = await sql<{ value: number }>`insert into crm.counters (workspace_id, entity, field, period, value) values (${ctx.caller.ws.id}, ${m.table}, ${f.key}, ${period}, 1)
      on conflict (workspace_id, entity, field, period) do update set value = crm.counters.value + 1 returning value`.execute(tx);
    const n = rows[0]!.value;
    return pattern
      .replace('{YYYY}', parts.y).replace('{YY}', parts.y.slice(2)).replace('{MM}', parts.m).replace('{DD}', parts.d)
      .replace(/\{(0+)\}/, (_, zeros: string) => String(n).padStart(zeros.length, '0'));
  }

  private async audit(ctx: Ctx, m: EntityModel, tx: Transaction<any>, id: string, action: string, changes: Record<string, unknown>) {
    await tx.insertInto('crm.audit_log').values({
      workspace_id: ctx.caller.ws.id, at: this.clock.now(), actor_id: ctx.caller.userId, ip: ctx.caller.ip ?? null,
      entity: m.table, record_id: id, action: `record.${action}`, changes: JSON.stringify(changes), via: viaJson(ctx.caller),
    }).execute();
    // Stage history: one row per pipeline field that moved.
    for (const p of m.pipelines) {
      const c = changes[p.field] as { from: unknown; to: unknown } | undefined;
      if (!c) continue;
      await tx.insertInto('crm.stage_history').values({
        workspace_id: ctx.caller.ws.id, entity: m.table, record_id: id, field: p.field,
        from_value: (c.from as string | null) ?? null, to_value: (c.to as string | null) ?? null, at: this.clock.now(), by_user: ctx.caller.userId,
      }).execute();
    }
  }

  /** A stored file is visible to whoever uploaded it and to whoever can read a record that holds it. */
  async fileVisible(caller: Caller, fileId: string, uploadedBy: string | null): Promise<boolean> {
    if (uploadedBy === caller.userId) return true;
    const ctx = await this.ctx(caller);
    for (const m of ctx.model.entities.values()) {
      for (const f of m.fields.values()) {
        if (f.type !== 'file') continue;
        const { rows } = await sql`select 1 from ${this.table(ctx, m)} where ${sql.ref(f.key)} @> ${JSON.stringify([{ id: fileId }])}::jsonb
          and deleted_at is null and ${this.pred(ctx, m, 'read')} limit 1`.execute(this.db);
        if (rows.length) return true;
      }
    }
    return false;
  }

  /**
   * What the runtime needs to draw its screens for this user: the entities
   * they may read (with fields, layout and views) and what they may create.
   */
  async navigation(caller: Caller) {
    const ctx = await this.ctx(caller);
    const meta = await this.published(caller.ws);
    const docs = (kind: string) => meta.documents.filter((d) => d.kind === kind).map((d) => d.body as Record<string, any>);
    const layouts = docs('layout');
    const views = docs('view');
    const entities = [...ctx.model.entities.values()].filter((m) => scopeOf(ctx.access, m.entity.key, 'read') !== 'none').map((m) => ({
      key: m.table,
      label: m.entity.label,
      pluralLabel: m.entity.pluralLabel ?? m.entity.label,
      titleField: m.entity.titleField,
      ownership: m.entity.ownership,
      canCreate: canCreate(ctx.access, m.entity.key),
      conversion: !!m.entity.conversion,
      isActivity: !!m.entity.isActivity,
      fields: [...m.fields.values()],
      // Names of archived fields: their values stay in the record history, which shows them by name.
      archivedFields: m.entity.fields.filter((f) => f.archived).map((f) => ({ key: f.key, label: f.label })),
      layout: layouts.find((l) => l.entity === m.table) ?? null,
      views: views.filter((v) => v.entity === m.table && (!v.roles?.length || ctx.access.roles.some((r) => v.roles.includes(r.key)))),
      related: [...ctx.model.entities.values()].filter((c) => scopeOf(ctx.access, c.entity.key, 'read') !== 'none')
        .flatMap((c) => [...c.fields.values()].filter((f) => f.type === 'relation' && f.target === m.table).map((f) => ({ entity: c.table, field: f.key, label: c.entity.pluralLabel ?? c.entity.label }))),
    }));
    return { workspace: { slug: caller.ws.slug, settings: caller.ws.settings, role: caller.ws.role }, revision: meta.revision, entities };
  }

  /**
   * For a draft pipeline: per stage with a gate, how many published records sit
   * in that stage today and would fail the new gate (so the designer can say so
   * before publishing). Fields the draft adds are not in the table yet and are
   * left out of the count.
   */
  async gateFindings(caller: Caller, pipelineId: string, drafts: { kind: string; id: string; body: Record<string, unknown> }[]) {
    const ctx = await this.ctx(caller);
    const doc = drafts.find((d) => d.kind === 'pipeline' && d.id === pipelineId)?.body as { entity: string; field: string; stages: PipelineModel['stages'] } | undefined;
    if (!doc) throw new AppError('CRM_ERR_NOT_FOUND');
    const m = ctx.model.entities.get(doc.entity);
    if (!m || !m.fields.has(doc.field)) return [];
    const out: { stage: string; count: number; samples: string[] }[] = [];
    for (const stage of doc.stages) {
      if (!stage.gate) continue;
      const required = (stage.gate.requiredFields ?? []).filter((k) => m.fields.has(k));
      const checks: RawBuilder<unknown>[] = required.map((k) => sql`${sql.ref(k)} is not null`);
      if (stage.gate.rule && !validateRule(stage.gate.rule, m.ruleSchema).length) {
        checks.push(sql`(${this.compileFilter(ctx, m, stage.gate.rule)})`);
      }
      if (!checks.length) continue;
      const { rows } = await sql<{ n: number; ids: string[] | null }>`select count(*)::int as n, (array_agg(id::text order by id))[1:5] as ids
        from ${this.table(ctx, m)} where deleted_at is null and ${sql.ref(doc.field)} = ${stage.key} and ${this.pred(ctx, m, 'read')}
        and not (${sql.join(checks, sql` and `)})`.execute(this.db);
      out.push({ stage: stage.key, count: rows[0]!.n, samples: rows[0]!.ids ?? [] });
    }
    return out;
  }

  /**
   * A formula's value on the caller's most recently changed readable records,
   * computed by PostgreSQL from the same SQL the write path stores, so the
   * designer shows exactly what publishing would compute. Reads only.
   */
  async formulaPreview(caller: Caller, entityKey: string, expression: unknown, resultType: string, scale?: number) {
    const ctx = await this.ctx(caller);
    const m = ctx.model.entities.get(entityKey);
    if (!m) return { published: false, data: [] as { id: string; title: unknown; value: unknown }[] };
    const fields = [...m.fields.values()];
    const check = checkFormula(expression, formulaVars(fields));
    const details: ErrorDetail[] = check.issues.map((i) => ({ pointer: `/expression${i.pointer}`, code: i.code, params: { ...i.params, entity: entityKey } }));
    if (!details.length && !fitsResultType(check.type, resultType)) details.push({ pointer: '/resultType', code: 'META_RESULT_TYPE', params: { actual: check.type, expected: resultType } });
    if (details.length) throw new AppError('CRM_ERR_INVALID_DOCUMENT', { count: details.length }, details);
    const column = fieldTypes.formula.columns({ id: 'preview', key: 'value', type: 'formula', resultType, scale })[0]!;
    const columns = new Set(fields.flatMap((f) => fieldTypes[f.type as FieldType].columns(f).map((c) => c.name)));
    const value = sql`(${compileFormula(expression, columns)})::${sql.raw(column.sqlType)}`;
    // numeric as text keeps every digit (the wire format of decimals); the rest through to_json (ISO dates, booleans).
    const shown = column.sqlType.startsWith('numeric') ? sql`${value}::text` : sql`to_json(${value})`;
    const title = m.fields.has(m.entity.titleField) ? sql.ref(m.entity.titleField) : sql`id::text`;
    // A read-only transaction with a short timeout: a preview can never write, nor hold the database.
    const rows = await this.db.transaction().execute(async (tx) => {
      await sql`set transaction read only`.execute(tx);
      await sql`set local statement_timeout = '3s'`.execute(tx);
      return (await sql<{ id: string; title: unknown; value: unknown }>`select id::text as id, ${title} as title, ${shown} as value
        from ${this.table(ctx, m)} where deleted_at is null and ${this.pred(ctx, m, 'read')} order by updated_at desc, id limit 5`.execute(tx)).rows;
    });
    return { published: true, type: check.type, data: rows };
  }

  /**
   * What a saved view of this entity may name, for the caller: readable or
   * not, live field keys (columns), sortable keys and the rule schema its
   * filter is checked against.
   */
  async viewVocabulary(caller: Caller, entityKey: string) {
    const ctx = await this.ctx(caller);
    const m = ctx.model.entities.get(entityKey);
    if (!m || scopeOf(ctx.access, m.entity.key, 'read') === 'none') return null;
    return { columns: new Set(m.fields.keys()), sortable: new Set(sortableKeys(m)), ruleSchema: m.ruleSchema, roleKeys: new Set(ctx.model.roles.keys()) };
  }

  /**
   * One entity as the caller may read it, for modules that aggregate or
   * export in their own SQL (kanban totals, CSV export): the model, the table,
   * the read predicate every read here uses, and the filter compiled exactly
   * as the list compiles it (400 on an unknown field or operator).
   */
  async readScope(caller: Caller, entityKey: string, filter?: unknown) {
    const ctx = await this.ctx(caller);
    const m = this.entity(ctx, entityKey);
    return {
      model: m,
      table: this.table(ctx, m),
      predicate: (alias?: string) => this.pred(ctx, m, 'read', alias),
      filter: filter === undefined ? undefined : this.compileFilter(ctx, m, filter),
      readable: scopeOf(ctx.access, m.entity.key, 'read') !== 'none',
    };
  }

  async openApi(caller: Caller, lang: 'zh-CN' | 'en') {
    const ctx = await this.ctx(caller);
    return openApiFor(ctx.model, caller.ws.slug, (m) => scopeOf(ctx.access, m.entity.key, 'read') !== 'none', lang);
  }

}

/** Changed fields as {from, to} in wire format, plus the new version. */
function diff(m: EntityModel, before: Record<string, unknown> | null, after: Record<string, unknown>): Record<string, unknown> {
  const a = before ? toWire(m, before) : {};
  const b = toWire(m, after);
  const out: Record<string, unknown> = { version: after.version };
  for (const key of [...m.fields.keys(), 'owner_id']) {
    if (!(key in b)) continue;
    const from = (a as Wire)[key] ?? null;
    const to = b[key] ?? null;
    if (JSON.stringify(from) !== JSON.stringify(to) && !(before === null && isEmpty(to))) out[key] = { from, to };
  }
  return out;
}

/** Column name -> SQL type of an entity table (system and field columns), for typed JSON row sets. */
const columnTypeCache = new WeakMap<EntityModel, Map<string, string>>();
function columnTypes(m: EntityModel): Map<string, string> {
  let t = columnTypeCache.get(m);
  if (!t) {
    t = new Map<string, string>([
      ['id', 'uuid'], ['created_at', 'timestamptz'], ['updated_at', 'timestamptz'], ['created_by', 'uuid'], ['updated_by', 'uuid'],
      ['version', 'integer'], ['deleted_at', 'timestamptz'], ['owner_id', 'uuid'], ['last_activity_at', 'timestamptz'], [PINYIN_COLUMN, 'text'],
    ]);
    for (const f of m.fields.values()) for (const c of fieldTypes[f.type as FieldType].columns(f)) t.set(c.name, c.sqlType);
    columnTypeCache.set(m, t);
  }
  return t;
}

/** A written value as the wire shows it once stored: decimals carry their scale, datetimes are normalised. */
function auditValue(f: Field, v: unknown): unknown {
  if (v === null || v === undefined) return null;
  if ((f.type === 'decimal' || f.type === 'currency' || f.type === 'percent') && typeof v === 'string') {
    const scale = typeof f.scale === 'number' ? f.scale : f.type === 'decimal' ? 4 : 2;
    const [i = '0', frac = ''] = v.split('.');
    return scale > 0 ? `${i}.${frac.padEnd(scale, '0')}` : i;
  }
  if (f.type === 'datetime' && typeof v === 'string') return new Date(v).toISOString();
  if (f.type === 'address') return { province: null, city: null, district: null, detail: null, ...(v as object) };
  return v;
}

function orderFormulas(formulas: Field[]): Field[] {
  const keys = new Set(formulas.map((f) => f.key));
  const deps = new Map(formulas.map((f) => [f.key, new Set(JSON.stringify(f.expression).match(/"var":\s*"([a-z0-9_]+)"/g)?.map((s) => s.replace(/.*"([a-z0-9_]+)"$/, '$1')).filter((k) => keys.has(k)) ?? [])]));
  const done: Field[] = [];
  const seen = new Set<string>();
  const visit = (f: Field, stack: Set<string>) => {
    if (seen.has(f.key) || stack.has(f.key)) return;
    stack.add(f.key);
    for (const d of deps.get(f.key) ?? []) visit(formulas.find((x) => x.key === d)!, stack);
    seen.add(f.key);
    done.push(f);
  };
  for (const f of formulas) visit(f, new Set());
  return done;
}

async function guardUnique<T>(m: EntityModel, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    const e = err as { code?: string; constraint?: string };
    if (e.code === '23505') {
      const field = [...m.fields.keys()].find((k) => e.constraint?.startsWith(`${m.table}_${k}_`)) ?? 'unknown';
      throw new AppError('CRM_ERR_DUPLICATE', { name: field }, [{ pointer: `/${field}`, code: 'RECORD_DUPLICATE_VALUE', params: { field } }]);
    }
    throw err;
  }
}


function cursorValue(v: unknown): unknown {
  return v instanceof Date ? v.toISOString() : v ?? null;
}

function zonedParts(d: Date, timeZone: string) {
  const p = Object.fromEntries(new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(d).map((x) => [x.type, x.value]));
  return { y: String(p.year), m: String(p.month), d: String(p.day) };
}

