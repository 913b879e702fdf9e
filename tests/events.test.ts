import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addMember, createUser, installTemplate, readTemplate, uuidv7, workspaceFor } from '@crm/server';
import { startTestApp, type TestApp } from './support/app.js';

const TEMPLATE = fileURLToPath(new URL('../templates/default-crm', import.meta.url));

interface SseMessage {
  event: string;
  data: any;
  receivedAt: number;
}

/** An event stream read through a real HTTP connection, parsed as EventSource would. */
class Stream {
  readonly messages: SseMessage[] = [];
  raw = '';
  ended = false;
  private waiters: (() => void)[] = [];
  private constructor(readonly res: Response, private readonly abort: AbortController) {}

  static async open(base: string, slug: string, cookie: string) {
    const abort = new AbortController();
    const res = await fetch(`${base}/api/w/${slug}/events`, { headers: { cookie, accept: 'text/event-stream' }, signal: abort.signal });
    const s = new Stream(res, abort);
    if (res.ok) void s.pump();
    return s;
  }

  private async pump() {
    const reader = this.res.body!.getReader();
    const decoder = new TextDecoder();
    let buf = '';
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        const text = decoder.decode(value, { stream: true });
        this.raw += text;
        buf += text;
        let i: number;
        while ((i = buf.indexOf('\n\n')) >= 0) {
          const block = buf.slice(0, i);
          buf = buf.slice(i + 2);
          const lines = block.split('\n');
          const event = lines.find((l) => l.startsWith('event: '))?.slice(7);
          const data = lines.find((l) => l.startsWith('data: '))?.slice(6);
          if (event) this.messages.push({ event, data: data ? JSON.parse(data) : undefined, receivedAt: performance.now() });
        }
        this.wake();
      }
    } catch {
      // aborted
    }
    this.ended = true;
    this.wake();
  }

  private wake() {
    const w = this.waiters;
    this.waiters = [];
    w.forEach((f) => f());
  }

  /** The first message (from `from` on) that matches, or a timeout error. */
  async next(match: (m: SseMessage) => boolean, timeoutMs = 3000, from = 0): Promise<SseMessage> {
    const deadline = performance.now() + timeoutMs;
    for (;;) {
      const hit = this.messages.slice(from).find(match);
      if (hit) return hit;
      if (this.ended) throw new Error(`stream ended; got ${JSON.stringify(this.messages.map((m) => m.event))}`);
      const left = deadline - performance.now();
      if (left <= 0) throw new Error(`timed out; got ${JSON.stringify(this.messages)}`);
      await new Promise<void>((r) => {
        const t = setTimeout(r, left);
        this.waiters.push(() => { clearTimeout(t); r(); });
      });
    }
  }

  async ended_(timeoutMs = 3000) {
    const deadline = performance.now() + timeoutMs;
    while (!this.ended && performance.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    return this.ended;
  }

  changes(entity?: string) {
    return this.messages.filter((m) => m.event === 'change' && (!entity || m.data.entity === entity));
  }

  close() {
    this.abort.abort();
  }
}

/**
 * Realtime (issue 6 item 7): writes reach the event streams of everyone who
 * may read the records, within a second, batched, and never anyone else.
 * Default CRM roles: 赵敏 (sales manager) leads team 华东 with 张伟 (rep);
 * 李娜 (rep) is in no team; reps see their own records only.
 */
describe('realtime events (GET /api/w/:ws/events)', () => {
  let t: TestApp;
  let base: string;
  const cookies: Record<'owner' | 'rep' | 'other' | 'manager', string> = { owner: '', rep: '', other: '', manager: '' };
  const ids: Record<'rep' | 'other', string> = { rep: '', other: '' };
  const streams: Stream[] = [];
  const open = async (who: keyof typeof cookies) => {
    const s = await Stream.open(base, t.slug, cookies[who]);
    streams.push(s);
    if (s.res.ok) await s.next((m) => m.event === 'ready');
    return s;
  };
  const api = async (who: keyof typeof cookies, method: 'POST' | 'PATCH' | 'DELETE', url: string, payload?: object, version?: number) => {
    const res = await t.app.inject({
      method, url: `/api/w/${t.slug}/records/${url}`, payload,
      headers: { cookie: cookies[who], ...(version !== undefined ? { 'if-match': `"${version}"` } : {}) },
    });
    expect(res.statusCode, res.body).toBeLessThan(300);
    return res.json().data;
  };

  beforeAll(async () => {
    t = await startTestApp();
    const ownerId = (await t.database.pool.query(`select id from crm.users where email = 'owner@example.com'`)).rows[0].id;
    const ws = (await workspaceFor(t.database.db, t.slug, ownerId))!;
    await installTemplate(t.app.services.metadata, ws, { userId: ownerId }, await readTemplate(TEMPLATE));
    const team = uuidv7();
    await t.database.db.insertInto('crm.teams').values({ id: team, workspace_id: ws.id, name: '华东' }).execute();
    const people = [
      { who: 'rep', email: 'rep@example.com', name: '张伟', role: 'sales_rep', team: true },
      { who: 'other', email: 'other@example.com', name: '李娜', role: 'sales_rep', team: false },
      { who: 'manager', email: 'manager@example.com', name: '赵敏', role: 'sales_manager', team: true },
    ] as const;
    for (const p of people) {
      const u = await createUser(t.database.db, { email: p.email, name: p.name, password: 'password-123' });
      await addMember(t.database.db, ws.id, u.id, 'member');
      await t.database.db.insertInto('crm.member_roles').values({ workspace_id: ws.id, user_id: u.id, role_key: p.role }).execute();
      if (p.team) await t.database.db.insertInto('crm.team_members').values({ team_id: team, user_id: u.id, is_manager: p.who === 'manager' }).execute();
      if (p.who !== 'manager') ids[p.who] = u.id;
      cookies[p.who] = await t.login(p.email, 'password-123');
    }
    cookies.owner = t.cookie;
    await t.app.listen({ host: '127.0.0.1', port: 0 });
    base = `http://127.0.0.1:${(t.app.server.address() as { port: number }).port}`;
  });
  afterAll(async () => {
    streams.forEach((s) => s.close());
    await t?.close();
  });

  it('is an event stream behind the session, with retry and a ready event', async () => {
    const anon = await fetch(`${base}/api/w/${t.slug}/events`);
    expect(anon.status).toBe(401);
    expect(((await anon.json()) as { code: string }).code).toBe('CRM_ERR_UNAUTHENTICATED');
    const elsewhere = await fetch(`${base}/api/w/nowhere/events`, { headers: { cookie: cookies.rep } });
    expect(elsewhere.status).toBe(404);
    const s = await open('rep');
    expect(s.res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    expect(s.res.headers.get('cache-control')).toMatch(/no-cache/);
    expect(s.raw).toMatch(/^retry: \d+\n\n/);
    s.close();
  });

  it('tells a rep within a second that another user changed their record, and nothing about a colleague\'s', async () => {
    const rep = await open('rep');
    const other = await open('other');
    const start = performance.now();
    const mine = await api('owner', 'POST', 'leads', { name: '杭州东方电子', owner_id: ids.rep });
    const created = await rep.next((m) => m.event === 'change' && m.data.ids.includes(mine.id), 1000);
    expect(created.receivedAt - start).toBeLessThan(1000);
    expect(created.data).toEqual({ entity: 'leads', ids: [mine.id], action: 'create', at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) });

    // A colleague's record: created, changed and deleted without a word to this rep.
    const theirs = await api('owner', 'POST', 'leads', { name: '南京紫金实业', owner_id: ids.other });
    const changed = await api('owner', 'PATCH', `leads/${theirs.id}`, { company: '紫金' }, theirs.version);
    await api('owner', 'DELETE', `leads/${theirs.id}`, undefined, changed.version);
    await other.next((m) => m.event === 'change' && m.data.action === 'delete' && m.data.ids.includes(theirs.id));

    // The rep's own record, changed by someone else: the careful path (leads have rules) and the one-statement path (contacts).
    const t1 = performance.now();
    await api('owner', 'PATCH', `leads/${mine.id}`, { company: '东方' }, mine.version);
    const updated = await rep.next((m) => m.event === 'change' && m.data.action === 'update' && m.data.ids.includes(mine.id), 1000);
    expect(updated.receivedAt - t1).toBeLessThan(1000);
    const contact = await api('owner', 'POST', 'contacts', { name: '王芳', owner_id: ids.rep });
    await rep.next((m) => m.event === 'change' && m.data.entity === 'contacts' && m.data.ids.includes(contact.id));
    const t2 = performance.now();
    await api('owner', 'PATCH', `contacts/${contact.id}`, { title: '采购经理' }, contact.version);
    const fast = await rep.next((m) => m.data?.entity === 'contacts' && m.data.action === 'update', 1000);
    expect(fast.data.ids).toEqual([contact.id]);
    expect(fast.receivedAt - t2).toBeLessThan(1000);

    expect(rep.raw).not.toContain(theirs.id);
    expect(rep.changes().flatMap((m) => m.data.ids)).toEqual([mine.id, mine.id, contact.id, contact.id]);
    expect(other.raw).not.toContain(mine.id);
    expect(other.raw).not.toContain(contact.id);
    for (const m of [...rep.changes(), ...other.changes()]) expect(Object.keys(m.data).sort()).toEqual(['action', 'at', 'entity', 'ids']);
    rep.close();
    other.close();
  });

  it('tells whoever could read a deleted record, and only them', async () => {
    const rep = await open('rep');
    const manager = await open('manager');
    const other = await open('other');
    const lead = await api('owner', 'POST', 'leads', { name: '苏州工业园区物流', owner_id: ids.rep });
    await rep.next((m) => m.data?.action === 'create' && m.data.ids.includes(lead.id));
    await api('owner', 'DELETE', `leads/${lead.id}`, undefined, lead.version);
    const gone = await rep.next((m) => m.data?.action === 'delete');
    expect(gone.data).toMatchObject({ entity: 'leads', ids: [lead.id] });
    await manager.next((m) => m.data?.action === 'delete' && m.data.ids.includes(lead.id));
    // A sentinel the other rep may read proves their stream is flowing, and that the delete never reached it.
    const sentinel = await api('owner', 'POST', 'leads', { name: '无锡太湖', owner_id: ids.other });
    await other.next((m) => m.data?.ids?.includes(sentinel.id));
    expect(other.raw).not.toContain(lead.id);
    [rep, manager, other].forEach((s) => s.close());
  });

  it('sends a batch write as one event to the team manager, and nothing to a rep outside the team', async () => {
    const manager = await open('manager');
    const other = await open('other');
    const small = await api('rep', 'POST', 'accounts/batch', { records: Array.from({ length: 5 }, (_, i) => ({ name: `批量客户 ${i}`, owner_id: ids.rep })) });
    const one = await manager.next((m) => m.data?.entity === 'accounts');
    expect([...one.data.ids].sort()).toEqual(small.map((r: { id: string }) => r.id).sort());
    expect(one.data.action).toBe('create');

    // Too many ids for one NOTIFY payload: they are read back from the statement's audit rows.
    const from = manager.messages.length;
    const big = await api('rep', 'POST', 'accounts/batch', { records: Array.from({ length: 200 }, (_, i) => ({ name: `大批量客户 ${i}`, owner_id: ids.rep })) });
    const many = await manager.next((m) => m.data?.entity === 'accounts', 3000, from);
    expect([...many.data.ids].sort()).toEqual(big.map((r: { id: string }) => r.id).sort());
    await new Promise((r) => setTimeout(r, 300));
    expect(manager.changes('accounts')).toHaveLength(2);

    const sentinel = await api('owner', 'POST', 'accounts', { name: '李娜的客户', owner_id: ids.other });
    await other.next((m) => m.data?.ids?.includes(sentinel.id));
    expect(other.changes('accounts').flatMap((m) => m.data.ids)).toEqual([sentinel.id]);
    manager.close();
    other.close();
  });

  it('tells a user at once that they have a new notification, and nobody else in the workspace', async () => {
    const rep = await open('rep');
    const repTab = await open('rep');
    const other = await open('other');
    const manager = await open('manager');
    const notes = (s: Stream) => s.messages.filter((m) => m.event === 'notification');

    // Handing 张伟 a lead writes his `assigned` notification in the same transaction: his streams hear it.
    const start = performance.now();
    const lead = await api('owner', 'POST', 'leads', { name: '常州天宁机械', owner_id: ids.rep });
    const heard = await rep.next((m) => m.event === 'notification', 1000);
    expect(heard.receivedAt - start).toBeLessThan(1000);
    expect(heard.data).toEqual({ at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) });
    await repTab.next((m) => m.event === 'notification', 1000);
    const feed = await t.app.inject({ method: 'GET', url: `/api/w/${t.slug}/notifications`, headers: { cookie: cookies.rep } });
    expect(feed.json().data[0]).toMatchObject({ kind: 'assigned', recordId: lead.id });

    // A sentinel for 李娜 proves her stream flows: she hears her own notification, never 张伟's.
    await api('owner', 'POST', 'leads', { name: '镇江丹徒实业', owner_id: ids.other });
    await other.next((m) => m.event === 'notification', 1000);
    await new Promise((r) => setTimeout(r, 200));
    expect(notes(other)).toHaveLength(1);
    expect(notes(rep)).toHaveLength(1);
    // The manager (same workspace, may read 张伟's lead) saw the record change, but no notification of anyone's.
    await manager.next((m) => m.event === 'change' && m.data.ids.includes(lead.id));
    expect(notes(manager)).toHaveLength(0);

    // Several notifications in one statement (a batch handed to 李娜): one event. A refused write: none.
    await api('owner', 'POST', 'accounts/batch', { records: Array.from({ length: 3 }, (_, i) => ({ name: `李娜的批量客户 ${i}`, owner_id: ids.other })) });
    await other.next((m) => m.event === 'notification', 1000, other.messages.indexOf(notes(other)[0]!) + 1);
    const refused = await t.app.inject({ method: 'POST', url: `/api/w/${t.slug}/records/leads`, payload: { name: '', owner_id: ids.rep }, headers: { cookie: cookies.owner } });
    expect(refused.statusCode).toBe(422);
    await new Promise((r) => setTimeout(r, 300));
    expect(notes(other)).toHaveLength(2);
    expect(notes(rep)).toHaveLength(1);
    expect(notes(manager)).toHaveLength(0);
    [rep, repTab, other, manager].forEach((s) => s.close());
  });

  it('tells clients to refetch when the change feed reconnects, and keeps delivering after', async () => {
    const rep = await open('rep');
    await t.database.pool.query(`select pg_terminate_backend(pid) from pg_stat_activity
      where application_name = 'crm-change-feed' and datname = current_database()`);
    await rep.next((m) => m.event === 'reset');
    // Once the feed is back (it retries after a second) writes flow again.
    let arrived = false;
    for (let i = 0; i < 20 && !arrived; i++) {
      const lead = await api('owner', 'POST', 'leads', { name: `重连后 ${i}`, owner_id: ids.rep });
      arrived = await rep.next((m) => m.data?.ids?.includes(lead.id), 500).then(() => true, () => false);
    }
    expect(arrived).toBe(true);
    rep.close();
  });

  it('caps streams per user and ends them when the session ends', async () => {
    const open10 = await Promise.all(Array.from({ length: 10 }, () => open('manager')));
    const refused = await Stream.open(base, t.slug, cookies.manager);
    expect(refused.res.status).toBe(429);
    expect(((await refused.res.json()) as { code: string }).code).toBe('CRM_ERR_RATE_LIMITED');
    open10[0]!.close();
    await new Promise((r) => setTimeout(r, 100));
    const again = await open('manager');
    expect(again.res.status).toBe(200);
    [...open10, again].forEach((s) => s.close());

    const rep = await open('rep');
    const out = await t.app.inject({ method: 'POST', url: '/api/auth/logout', headers: { cookie: cookies.rep } });
    expect(out.statusCode).toBe(204);
    const lead = await api('owner', 'POST', 'leads', { name: '退出之后', owner_id: ids.rep });
    expect(await rep.ended_()).toBe(true);
    expect(rep.raw).not.toContain(lead.id);
  });
});
