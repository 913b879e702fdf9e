import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addMember, createUser, readTemplate, installTemplate, workspaceFor } from '@crm/server';
import { startTestApp, type TestApp } from './support/app.js';

const dir = fileURLToPath(new URL('../templates/default-crm', import.meta.url));

describe('lead conversion (default CRM)', () => {
  let t: TestApp;
  let rep: string;
  let other: string;
  const call = (cookie: string, method: 'GET' | 'POST', url: string, payload?: unknown, headers: Record<string, string> = {}) =>
    t.app.inject({ method, url: `/api/w/${t.slug}${url}`, payload: payload as object, headers: { cookie, ...headers } });
  const count = async (table: string) => {
    const ws = (await t.database.pool.query(`select schema_name from crm.workspaces where slug = $1`, [t.slug])).rows[0].schema_name;
    return (await t.database.pool.query(`select count(*)::int as n from ${ws}.${table}`)).rows[0].n as number;
  };

  beforeAll(async () => {
    t = await startTestApp();
    const ownerId = (await t.database.pool.query(`select id from crm.users where email = 'owner@example.com'`)).rows[0].id;
    const ws = (await workspaceFor(t.database.db, t.slug, ownerId))!;
    await installTemplate(t.app.services.metadata, ws, { userId: ownerId }, await readTemplate(dir));
    for (const email of ['rep@example.com', 'other.rep@example.com']) {
      const u = await createUser(t.database.db, { email, name: email, password: 'rep-password-1' });
      await addMember(t.database.db, ws.id, u.id, 'member');
      await t.database.db.insertInto('crm.member_roles').values({ workspace_id: ws.id, user_id: u.id, role_key: 'sales_rep' }).execute();
    }
    rep = await t.login('rep@example.com', 'rep-password-1');
    other = await t.login('other.rep@example.com', 'rep-password-1');
  });
  afterAll(async () => { await t.close(); });

  const newLead = async (company: string, phone = '13800138000') => {
    const res = await call(rep, 'POST', '/records/leads', { name: '周明', company, title: '采购经理', phone, email: 'zhou@example.com', status: 'working', region: 'east', source: 'exhibition' });
    expect(res.statusCode, res.body).toBe(201);
    return res.json().data;
  };

  it('turns a lead into account, contact and opportunity in one transaction, and remembers what it became', async () => {
    const lead = await newLead('苏州云帆智能科技有限公司');
    const res = await call(rep, 'POST', `/records/leads/${lead.id}/convert`, { createOpportunity: true, opportunity: { amount: '250000.00' } }, { 'if-match': '"1"' });
    expect(res.statusCode, res.body).toBe(200);
    const { accountId, contactId, opportunityId, lead: after } = res.json().data;
    expect(after).toMatchObject({ status: 'converted', converted_account: accountId, converted_contact: contactId, converted_opportunity: opportunityId, version: 2 });
    const account = (await call(rep, 'GET', `/records/accounts/${accountId}`)).json().data;
    expect(account).toMatchObject({ name: '苏州云帆智能科技有限公司', phone: '13800138000', region: 'east', source: 'exhibition' });
    const contact = (await call(rep, 'GET', `/records/contacts/${contactId}`)).json().data;
    expect(contact).toMatchObject({ name: '周明', title: '采购经理', account: accountId, email: 'zhou@example.com' });
    const opp = (await call(rep, 'GET', `/records/opportunities/${opportunityId}`)).json().data;
    expect(opp).toMatchObject({ name: '苏州云帆智能科技有限公司 商机', account: accountId, contact: contactId, stage: 'initial', amount: '250000.00' });

    const twice = await call(rep, 'POST', `/records/leads/${lead.id}/convert`, {}, { 'if-match': '"2"' });
    expect(twice.statusCode).toBe(409);
    expect(twice.json().code).toBe('CRM_ERR_ALREADY_CONVERTED');
  });

  it('stops on a duplicate account until the rep picks it or insists', async () => {
    const lead = await newLead('苏州 云帆智能科技有限公司（）', '13900000001');
    const dup = await call(rep, 'POST', `/records/leads/${lead.id}/convert`, {}, { 'if-match': '"1"' });
    expect(dup.statusCode).toBe(409);
    expect(dup.json()).toMatchObject({ code: 'CRM_ERR_DUPLICATE', candidates: [{ title: '苏州云帆智能科技有限公司' }] });
    const existing = dup.json().candidates[0].id;
    const picked = await call(rep, 'POST', `/records/leads/${lead.id}/convert`, { accountId: existing }, { 'if-match': '"1"' });
    expect(picked.statusCode, picked.body).toBe(200);
    expect(picked.json().data).toMatchObject({ accountId: existing, opportunityId: null });
  });

  it('writes nothing when any part fails, and keeps other reps out', async () => {
    const lead = await newLead('杭州全新客户有限公司', '13900000002');
    const before = await count('accounts');
    const bad = await call(rep, 'POST', `/records/leads/${lead.id}/convert`, { createOpportunity: true, opportunity: { amount: 'lots' } }, { 'if-match': '"1"' });
    expect(bad.statusCode).toBe(422);
    expect(await count('accounts')).toBe(before);
    expect((await call(rep, 'GET', `/records/leads/${lead.id}`)).json().data).toMatchObject({ status: 'working', converted_account: null });
    expect((await call(other, 'POST', `/records/leads/${lead.id}/convert`, {}, { 'if-match': '"1"' })).statusCode).toBe(404);
    const sneaky = await call(rep, 'POST', `/records/leads/${lead.id}/convert`, { contact: { owner_id: '0190a1b2-0000-7000-8000-000000000001', id: 'x' } }, { 'if-match': '"1"' });
    expect(sneaky.statusCode).toBe(400);
  });
});
