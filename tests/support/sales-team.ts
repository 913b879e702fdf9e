import { fileURLToPath } from 'node:url';
import { addMember, createUser, installTemplate, readTemplate, uuidv7, workspaceFor } from '@crm/server';
import type { TestApp } from './app.js';

const TEMPLATE = fileURLToPath(new URL('../../templates/default-crm', import.meta.url));

export interface Persona { id: string; name: string; cookie: string }

/**
 * The default CRM and a small sales organisation on a test app: 华东 with a
 * manager (刘经理, sales_manager: reads and writes the team's records) and
 * two reps (张伟, 李娜: their own records only); 华南 with one rep (王磊).
 * The workspace owner (王经理) sees everything.
 */
export async function salesTeam(t: TestApp) {
  const ownerId = (await t.database.pool.query(`select id from crm.users where email = 'owner@example.com'`)).rows[0].id as string;
  const ws = (await workspaceFor(t.database.db, t.slug, ownerId))!;
  await installTemplate(t.app.services.metadata, ws, { userId: ownerId }, await readTemplate(TEMPLATE));
  const east = uuidv7();
  const south = uuidv7();
  await t.database.db.insertInto('crm.teams').values([{ id: east, workspace_id: ws.id, name: '华东销售部' }, { id: south, workspace_id: ws.id, name: '华南销售部' }]).execute();
  const people = [
    { key: 'manager', name: '刘经理', role: 'sales_manager', team: east, manager: true },
    { key: 'zhang', name: '张伟', role: 'sales_rep', team: east },
    { key: 'li', name: '李娜', role: 'sales_rep', team: east },
    { key: 'wang', name: '王磊', role: 'sales_rep', team: south },
  ] as const;
  const users = { owner: { id: ownerId, name: '王经理', cookie: t.cookie } } as Record<'owner' | (typeof people)[number]['key'], Persona>;
  for (const p of people) {
    const u = await createUser(t.database.db, { email: `${p.key}@example.com`, name: p.name, password: 'member-password-1' });
    await addMember(t.database.db, ws.id, u.id, 'member');
    await t.database.db.insertInto('crm.member_roles').values({ workspace_id: ws.id, user_id: u.id, role_key: p.role }).execute();
    await t.database.db.insertInto('crm.team_members').values({ team_id: p.team, user_id: u.id, is_manager: 'manager' in p }).execute();
    users[p.key] = { id: u.id, name: p.name, cookie: await t.login(`${p.key}@example.com`, 'member-password-1') };
  }
  return { ws, users };
}
