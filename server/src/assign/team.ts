import { sql, type Kysely } from 'kysely';
import { AppError } from '../errors/app-error.js';
import { isUuid } from '../infra/ids.js';

export interface Team { id: string; name: string }
export interface Member { id: string; name: string }

/** The team a rule names: by id (what the designer picks) or by exact name (what a template can ship). */
export async function findTeam(db: Kysely<any>, workspaceId: string, ref: string): Promise<Team> {
  const q = () => db.selectFrom('crm.teams').select(['id', 'name']).where('workspace_id', '=', workspaceId);
  if (isUuid(ref)) {
    const byId = await q().where('id', '=', ref.toLowerCase()).executeTakeFirst();
    if (byId) return byId as Team;
  }
  const byName = await q().where('name', '=', ref.trim()).limit(2).execute();
  // Two teams of one name: guessing would hand records to the wrong people.
  if (byName.length === 1) return byName[0] as Team;
  throw new AppError('CRM_ERR_NO_ASSIGNEE', { reason: byName.length ? `several teams are named "${ref}"` : `no team "${ref}"` });
}

/**
 * Sub-teams (any depth) of `rootId` covering one of `values`: a team's
 * regions are `attributes.region`, or the list `attributes.regions`
 * ("华东,华北", also with ， or 、), compared trimmed and case-insensitive.
 */
export async function regionTeams(db: Kysely<any>, rootId: string, values: string[]): Promise<(Team & { region: string })[]> {
  const wanted = [...new Set(values.map(norm).filter(Boolean))];
  if (!wanted.length) return [];
  const { rows } = await sql<Team & { region: string }>`
    with recursive tree as (
      select id from crm.teams where parent_id = ${rootId}::uuid
      union select c.id from crm.teams c join tree on c.parent_id = tree.id
    )
    select distinct on (t.name, t.id) t.id, t.name, btrim(r.region) as region
    from crm.teams t join tree on tree.id = t.id
    cross join lateral unnest(string_to_array(regexp_replace(coalesce(t.attributes->>'regions', t.attributes->>'region', ''), '[，、]', ',', 'g'), ',')) as r(region)
    where lower(btrim(r.region)) = any(${wanted}::text[])
    order by t.name, t.id`.execute(db);
  return rows;
}

/**
 * Active members of the teams `rootIds` and of every team below them (a
 * department's reps usually sit in its sub-teams), in user id order: the
 * stable order turns follow. Inactive workspace members and disabled users
 * never take records.
 */
export async function activeMembers(db: Kysely<any>, workspaceId: string, rootIds: string[]): Promise<Member[]> {
  const { rows } = await sql<Member>`
    with recursive tree as (
      select id from crm.teams where id = any(${rootIds}::uuid[]) and workspace_id = ${workspaceId}::uuid
      union select c.id from crm.teams c join tree on c.parent_id = tree.id
    )
    select distinct u.id::text as id, u.name from crm.team_members tm
    join tree on tree.id = tm.team_id
    join crm.workspace_members m on m.user_id = tm.user_id and m.workspace_id = ${workspaceId}::uuid and m.status = 'active'
    join crm.users u on u.id = tm.user_id and u.status = 'active'
    order by u.id::text`.execute(db);
  return rows;
}

/** The active members among `ids`, by id. */
export async function activeUsers(db: Kysely<any>, workspaceId: string, ids: string[]): Promise<Map<string, Member>> {
  const valid = [...new Set(ids.filter(isUuid).map((i) => i.toLowerCase()))];
  if (!valid.length) return new Map();
  const { rows } = await sql<Member>`
    select u.id::text as id, u.name from crm.workspace_members m join crm.users u on u.id = m.user_id
    where m.workspace_id = ${workspaceId}::uuid and m.user_id = any(${valid}::uuid[]) and m.status = 'active' and u.status = 'active'`.execute(db);
  return new Map(rows.map((r) => [r.id, r]));
}

export const norm = (v: string) => v.normalize('NFKC').trim().toLowerCase();
