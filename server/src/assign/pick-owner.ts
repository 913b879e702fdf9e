import { sql, type Kysely } from 'kysely';
import type { WorkspaceContext } from '../context.js';
import { AppError } from '../errors/app-error.js';
import { advanceCursor, lockCursor, nextAfter } from './cursor.js';
import { entityFacts, type EntityFacts } from './meta.js';
import { activeMembers, activeUsers, findTeam, norm, regionTeams, type Member } from './team.js';

export interface PickOwnerConfig {
  strategy: 'round_robin' | 'least_loaded' | 'field_map';
  /** round_robin / least_loaded: a team id or name; its sub-teams' members take part too. */
  team?: string;
  /** round_robin / least_loaded: region routing field; field_map: the field whose value picks the owner. */
  field?: string;
  map?: Record<string, string>;
  fallback?: string;
}

export interface PickedOwner { ownerId: string; reason: { 'zh-CN': string; en: string } }

type Db = Kysely<any>;
type Entity = { key: string; table: string };

/**
 * Chooses the owner of `record` by an assignment rule. It only chooses (and,
 * for turns, advances the rule's cursor): the caller writes owner_id through
 * the records service, so validation, audit and notifications apply.
 *
 * Turns are taken under a row lock on the rule's cursor held until `db`'s
 * transaction ends. Pass the transaction that writes the record: then
 * concurrent picks are serialised with their writes and least_loaded counts
 * the records the previous pick handed out. Given a plain connection,
 * pickOwner uses a transaction of its own (turns stay exact; loads may lag
 * behind writes still in flight).
 */
export async function pickOwner(db: Db, ws: WorkspaceContext, entity: Entity, record: Record<string, unknown>, config: PickOwnerConfig, now: Date): Promise<PickedOwner> {
  if (config.strategy === 'field_map') return byFieldMap(db, ws, entity, record, config);
  if (!db.isTransaction) return db.transaction().execute((tx) => pickOwner(tx, ws, entity, record, config, now));
  const facts = await entityFacts(db, ws.id, entity.key);
  const group = await teamGroup(db, ws, entity, record, config, facts);
  const last = await lockCursor(db, ws.id, group.ruleKey, now);
  let chosen: Member;
  let load: number | undefined;
  if (config.strategy === 'least_loaded') {
    const loads = await openLoads(db, ws, entity, facts, group.members.map((m) => m.id));
    const least = Math.min(...group.members.map((m) => loads.get(m.id) ?? 0));
    // Ties go by turns: the next tied member after the one who got the last record.
    const tied = group.members.filter((m) => (loads.get(m.id) ?? 0) === least).map((m) => m.id);
    chosen = group.members.find((m) => m.id === nextAfter(tied, last))!;
    load = least;
  } else {
    chosen = group.members.find((m) => m.id === nextAfter(group.members.map((m) => m.id), last))!;
  }
  await advanceCursor(db, ws.id, group.ruleKey, chosen.id, now);
  const team = group.region ? `${group.label}（${group.region}）` : group.label;
  const teamEn = group.region ? `${group.label} (region ${group.region})` : group.label;
  return {
    ownerId: chosen.id,
    reason: load === undefined
      ? { 'zh-CN': `按团队「${team}」轮流分配给 ${chosen.name}`, en: `Round robin in team ${teamEn}: ${chosen.name}` }
      : { 'zh-CN': `按团队「${team}」分配给未结记录最少的 ${chosen.name}（${load} 条）`, en: `Least loaded in team ${teamEn}: ${chosen.name} (${load} open)` },
  };
}

interface Group { members: Member[]; ruleKey: string; label: string; region?: string }

/**
 * The members who take turns. With `field` set and sub-teams carrying
 * `attributes.region`, the record's value (or, for a select, its option's
 * labels) picks the matching sub-teams, and turns are kept per region. No
 * value or no matching sub-team: the whole team takes the record.
 */
async function teamGroup(db: Db, ws: WorkspaceContext, entity: Entity, record: Record<string, unknown>, config: PickOwnerConfig, facts: EntityFacts): Promise<Group> {
  if (!config.team) throw new AppError('CRM_ERR_NO_ASSIGNEE', { reason: `${config.strategy} needs a team` });
  const team = await findTeam(db, ws.id, config.team);
  let group: Omit<Group, 'members'> = { ruleKey: `${entity.key}:${team.id}`, label: team.name };
  let roots = [team.id];
  const values = config.field ? texts(record[config.field]) : [];
  if (values.length) {
    const field = config.field!;
    const subs = await regionTeams(db, team.id, values.flatMap((v) => [v, ...facts.labelsOf(field, v)]));
    if (subs.length) {
      const region = subs[0]!.region.trim();
      roots = subs.map((s) => s.id);
      group = { ruleKey: `${entity.key}:${team.id}:${norm(region)}`, label: subs.map((s) => s.name).join('、'), region };
    }
  }
  const members = await activeMembers(db, ws.id, roots);
  if (!members.length) throw new AppError('CRM_ERR_NO_ASSIGNEE', { reason: `team "${group.label}" has no active member` });
  return { ...group, members };
}

/**
 * Open records of `entity` per owner among `ids`: not soft-deleted, and not
 * in a won/lost stage of any of its pipelines or a closed lead status.
 */
async function openLoads(db: Db, ws: WorkspaceContext, entity: Entity, facts: EntityFacts, ids: string[]): Promise<Map<string, number>> {
  const open = facts.closed.map((c) => sql`(${sql.ref(c.field)} is null or ${sql.ref(c.field)}::text <> all(${c.values}::text[]))`);
  const { rows } = await sql<{ id: string; n: number }>`
    select owner_id::text as id, count(*)::int as n from ${sql.table(`${ws.schemaName}.${entity.table}`)}
    where owner_id = any(${ids}::uuid[]) and deleted_at is null ${sql.join(open.map((o) => sql`and ${o}`), sql` `)}
    group by owner_id`.execute(db);
  return new Map(rows.map((r) => [r.id, r.n]));
}

/** `map[record[field]]` (compared as text; for several values the first mapped one), else `fallback`; only active members qualify. */
async function byFieldMap(db: Db, ws: WorkspaceContext, entity: Entity, record: Record<string, unknown>, config: PickOwnerConfig): Promise<PickedOwner> {
  const field = config.field;
  if (!field) throw new AppError('CRM_ERR_NO_ASSIGNEE', { reason: 'field_map needs a field' });
  const map = config.map ?? {};
  const value = texts(record[field]).find((v) => Object.hasOwn(map, v));
  const mapped = value === undefined ? undefined : map[value];
  const users = await activeUsers(db, ws.id, [mapped, config.fallback].filter((u): u is string => !!u));
  const hit = mapped ? users.get(mapped.toLowerCase()) : undefined;
  if (hit) return { ownerId: hit.id, reason: { 'zh-CN': `按「${field}」为「${value}」分配给 ${hit.name}`, en: `By ${field} = ${value}: ${hit.name}` } };
  const fb = config.fallback ? users.get(config.fallback.toLowerCase()) : undefined;
  const shown = texts(record[field]).join(', ') || '—';
  if (fb) {
    const why = mapped ? { zh: '对应的负责人已停用', en: 'the mapped member is inactive' } : { zh: '没有对应的负责人', en: 'no mapping' };
    return { ownerId: fb.id, reason: { 'zh-CN': `「${field}」为「${shown}」${why.zh}，分配给默认负责人 ${fb.name}`, en: `${field} = ${shown}: ${why.en}; fallback: ${fb.name}` } };
  }
  throw new AppError('CRM_ERR_NO_ASSIGNEE', { reason: `${entity.key}.${field} = ${shown} maps to no active member and there is no active fallback` });
}

/** A wire value as the texts a rule compares: scalars as text, arrays element by element, empty -> none. */
function texts(v: unknown): string[] {
  return (Array.isArray(v) ? v : [v]).filter((x) => x !== null && x !== undefined && x !== '' && typeof x !== 'object').map(String);
}
