import { createServer, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { SMTPServer } from 'smtp-server';
import { simpleParser, type ParsedMail } from 'mailparser';
import { addMember, build, createUser, createWorkspace, freePort, OutboxMailer, parseSmtpUrl, type MailMessage } from '@crm/server';
import { startTestApp, TestClock, type TestApp } from './support/app.js';

/** A real SMTP server on loopback that parses what it receives and answers as told. */
class TestSmtp {
  readonly received: { from: string; rcpt: string[]; user: string | undefined; mail: ParsedMail }[] = [];
  /** Reply to RCPT TO / end of DATA with this code instead of accepting (451: try later, 550: refused). */
  reject: { at: 'rcpt' | 'data'; code: number } | null = null;
  port = 0;
  private server!: SMTPServer;

  async start() {
    this.server = new SMTPServer({
      disabledCommands: ['STARTTLS'],
      allowInsecureAuth: true,
      authOptional: true,
      disableReverseLookup: true,
      logger: false,
      onAuth: (auth, _session, cb) => {
        if (auth.username === 'crm' && auth.password === 'p@ss:word') cb(null, { user: auth.username });
        else cb(Object.assign(new Error('Invalid credentials'), { responseCode: 535 }));
      },
      onRcptTo: (_address, _session, cb) => {
        if (this.reject?.at === 'rcpt') cb(Object.assign(new Error('Mailbox busy'), { responseCode: this.reject.code }));
        else cb();
      },
      onData: (stream, session, cb) => {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          if (this.reject?.at === 'data') return cb(Object.assign(new Error('Message refused'), { responseCode: this.reject.code }));
          simpleParser(Buffer.concat(chunks)).then((mail) => {
            this.received.push({
              from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
              rcpt: session.envelope.rcptTo.map((r) => r.address),
              user: session.user as string | undefined,
              mail,
            });
            cb();
          }, cb);
        });
      },
    });
    this.server.on('error', () => {});
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.server.address() as { port: number }).port;
    return this;
  }

  url(auth = 'crm:p%40ss%3Aword@') {
    return `smtp://${auth}127.0.0.1:${this.port}`;
  }

  withId(messageId: string) {
    return this.received.filter((r) => r.mail.messageId === messageId);
  }

  close() {
    return new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

/**
 * The mail outbox: a message is a row first (in the caller's transaction),
 * goes out over real SMTP with its Message-ID, is written once per
 * Message-ID, retried or failed with the reason when SMTP says no or is
 * away, captured when no SMTP is configured; only owners, admins and
 * designers read the outbox, and only their workspace's.
 */
describe('mail outbox', () => {
  const clock = new TestClock(Date.parse('2026-11-23T02:00:00Z'));
  let t: TestApp;
  let smtp: TestSmtp;
  let mailer: OutboxMailer;
  let wsId: string;
  let capturedId: string;
  let n = 0;
  const fast = { connectionTimeoutMs: 1_000, greetingTimeoutMs: 500, socketTimeoutMs: 2_000 };
  const msg = (over: Partial<MailMessage> = {}): MailMessage => {
    n++;
    return {
      workspaceId: wsId,
      to: ['zhang.wei@customer.example'],
      subject: `报价单 Q-${n} 已审批`,
      text: `您好，报价单 Q-${n} 已审批通过。`,
      messageId: `<run${n}.step1@acme.crm>`,
      meta: { flow: 'flw_quote', run: `run${n}`, step: 'step1', entity: 'quotes' },
      ...over,
    };
  };
  const rows = async (messageId: string) =>
    (await t.database.pool.query(`select status, attempts, last_error, next_attempt_at, sent_at from crm.mail_outbox where message_id = $1`, [messageId])).rows as
      { status: string; attempts: number; last_error: string | null; next_attempt_at: Date | null; sent_at: Date | null }[];

  beforeAll(async () => {
    t = await startTestApp({ clock });
    smtp = await new TestSmtp().start();
    mailer = new OutboxMailer(t.database.db, clock, { smtpUrl: smtp.url(), from: 'crm@acme.example', maxAttempts: 3, ...fast });
    wsId = (await t.database.pool.query(`select id from crm.workspaces where slug = $1`, [t.slug])).rows[0].id;
  });
  afterAll(async () => {
    mailer?.close();
    await smtp?.close();
    await t?.close();
  });

  it('delivers over SMTP with the Message-ID header intact, and marks the row sent', async () => {
    const m = msg({ cc: ['li.na@acme.example'], html: '<p>您好，<b>报价单</b>已审批。</p>', replyTo: 'sales@acme.example' });
    const res = await mailer.send(m);
    expect(res).toMatchObject({ messageId: m.messageId, delivered: 'smtp', status: 'sent' });
    const [got] = smtp.withId(m.messageId);
    expect(got, 'the SMTP server received it').toBeDefined();
    expect(got!.mail.messageId).toBe(m.messageId);
    expect(got!.mail.subject).toBe(m.subject);
    expect(got!.mail.text?.trim()).toBe(m.text);
    expect(got!.mail.html).toContain('<b>报价单</b>');
    expect(got!.mail.headers.get('auto-submitted')).toBe('auto-generated');
    expect(got!.mail.replyTo?.text).toBe('sales@acme.example');
    expect(got!.from).toBe('crm@acme.example');
    expect(got!.rcpt.sort()).toEqual(['li.na@acme.example', 'zhang.wei@customer.example']);
    expect(got!.user, 'credentials from SMTP_URL, percent-decoded').toBe('crm');
    expect(await rows(m.messageId)).toMatchObject([{ status: 'sent', attempts: 1, last_error: null, next_attempt_at: null }]);
    expect((await rows(m.messageId))[0]!.sent_at).toEqual(clock.now());
    // A Message-ID without angle brackets is the same message.
    const again = await mailer.send({ ...m, messageId: m.messageId.slice(1, -1) });
    expect(again).toMatchObject({ messageId: m.messageId, delivered: 'smtp', id: res.id });
    expect(smtp.withId(m.messageId)).toHaveLength(1);
  });

  it('without SMTP_URL captures the message in the outbox and sends nothing', async () => {
    const captured = t.app.services.mailer;
    expect(captured.mode).toBe('capture');
    const before = smtp.received.length;
    const m = msg({ html: '<img src=x onerror=alert(1)>' });
    const res = await captured.send(m);
    capturedId = res.id;
    expect(res).toMatchObject({ messageId: m.messageId, delivered: 'outbox', status: 'captured' });
    expect(await rows(m.messageId)).toMatchObject([{ status: 'captured', attempts: 0, next_attempt_at: null, sent_at: null }]);
    expect(await captured.relay()).toEqual({ sent: 0, retrying: 0, failed: 0 });
    expect(await captured.deliver(res.id)).toBe('captured');
    // Not even an SMTP mailer sends a captured row later.
    expect(await mailer.deliver(res.id)).toBe('captured');
    await mailer.relay();
    expect(smtp.received.length).toBe(before);
    expect(smtp.withId(m.messageId)).toEqual([]);
  });

  it('enqueued in a transaction that rolls back: no row, nothing sent; one that commits is sent by the relay once', async () => {
    const lost = msg();
    await expect(t.database.db.transaction().execute(async (tx) => {
      const queued = await mailer.enqueue(tx, lost);
      expect(queued).toMatchObject({ status: 'pending', created: true });
      // The record write of the same transaction violates a constraint.
      await sql`insert into crm.mail_outbox (id, workspace_id, message_id, to_addrs, subject, body_text, status, created_at)
        values (${queued.id}, ${wsId}, 'dup', '{}', '', '', 'pending', now())`.execute(tx);
    })).rejects.toThrow(/duplicate key|unique/);
    expect(await rows(lost.messageId)).toEqual([]);
    await mailer.relay();
    expect(smtp.withId(lost.messageId)).toEqual([]);

    // Committed, then the process "crashes" before anyone calls deliver: a fresh mailer's relay (after restart) sends it, once.
    const kept = msg();
    await t.database.db.transaction().execute(async (tx) => { await mailer.enqueue(tx, kept); });
    expect(smtp.withId(kept.messageId)).toEqual([]);
    const restarted = new OutboxMailer(t.database.db, clock, { smtpUrl: smtp.url(), ...fast });
    try {
      expect((await restarted.relay()).sent).toBeGreaterThanOrEqual(1);
      expect(await restarted.relay()).toEqual({ sent: 0, retrying: 0, failed: 0 });
    } finally {
      restarted.close();
    }
    expect(smtp.withId(kept.messageId)).toHaveLength(1);
    expect(await rows(kept.messageId)).toMatchObject([{ status: 'sent', attempts: 1 }]);
  });

  it('the same Message-ID twice (or ten times at once) is one row and one SMTP delivery', async () => {
    const m = msg();
    const first = await t.database.db.transaction().execute((tx) => mailer.enqueue(tx, m));
    const second = await t.database.db.transaction().execute((tx) => mailer.enqueue(tx, { ...m, subject: 'changed' }));
    expect(second).toMatchObject({ id: first.id, created: false, status: 'pending' });
    const results = await Promise.all(Array.from({ length: 10 }, () => mailer.send(m)));
    expect(new Set(results.map((r) => r.id))).toEqual(new Set([first.id]));
    await mailer.relay();
    expect(await mailer.deliver(first.id)).toBe('sent');
    expect(smtp.withId(m.messageId)).toHaveLength(1);
    expect(smtp.withId(m.messageId)[0]!.mail.subject).toBe(m.subject);
    expect(await rows(m.messageId)).toMatchObject([{ status: 'sent', attempts: 1 }]);
  });

  it('a 4xx answer is retried later with the attempt and the reason recorded; the retry sends it once', async () => {
    const m = msg();
    smtp.reject = { at: 'rcpt', code: 451 };
    try {
      expect(await mailer.send(m)).toMatchObject({ delivered: 'outbox', status: 'pending' });
    } finally {
      smtp.reject = null;
    }
    const [row] = await rows(m.messageId);
    expect(row).toMatchObject({ status: 'pending', attempts: 1 });
    expect(row!.last_error).toMatch(/451/);
    expect(row!.next_attempt_at!.getTime()).toBe(clock.now().getTime() + 60_000);
    // Not due yet: neither the relay nor a direct deliver sends it.
    await mailer.relay();
    expect(await mailer.deliver((await t.database.pool.query(`select id from crm.mail_outbox where message_id = $1`, [m.messageId])).rows[0].id)).toBe('pending');
    expect(smtp.withId(m.messageId)).toEqual([]);
    clock.advance(61_000);
    expect((await mailer.relay()).sent).toBeGreaterThanOrEqual(1);
    expect(smtp.withId(m.messageId)).toHaveLength(1);
    expect(await rows(m.messageId)).toMatchObject([{ status: 'sent', attempts: 2 }]);
  });

  it('a 5xx answer fails the message for good, with the reason; the relay leaves it alone', async () => {
    const atRcpt = msg();
    const atData = msg();
    smtp.reject = { at: 'rcpt', code: 550 };
    const r1 = await mailer.send(atRcpt);
    smtp.reject = { at: 'data', code: 554 };
    const r2 = await mailer.send(atData);
    smtp.reject = null;
    expect([r1.status, r2.status]).toEqual(['failed', 'failed']);
    expect(await rows(atRcpt.messageId)).toMatchObject([{ status: 'failed', attempts: 1, last_error: expect.stringMatching(/550/), next_attempt_at: null }]);
    expect(await rows(atData.messageId)).toMatchObject([{ status: 'failed', attempts: 1, last_error: expect.stringMatching(/554/) }]);
    clock.advance(24 * 3_600_000);
    await mailer.relay();
    expect(smtp.withId(atRcpt.messageId)).toEqual([]);
    expect(smtp.withId(atData.messageId)).toEqual([]);
    expect((await rows(atRcpt.messageId))[0]!.attempts).toBe(1);
  });

  it('an SMTP server that is down or never greets: attempts and errors recorded, failed after the last attempt, no crash', async () => {
    const closedPort = await freePort();
    const down = new OutboxMailer(t.database.db, clock, { smtpUrl: `smtp://127.0.0.1:${closedPort}`, maxAttempts: 2, ...fast });
    const sockets = new Set<Socket>();
    const mute: Server = createServer((s) => { sockets.add(s); s.on('error', () => {}); });
    await new Promise<void>((resolve) => mute.listen(0, '127.0.0.1', resolve));
    const silent = new OutboxMailer(t.database.db, clock, { smtpUrl: `smtp://127.0.0.1:${(mute.address() as { port: number }).port}`, maxAttempts: 1, ...fast });
    try {
      const a = msg();
      expect(await down.send(a)).toMatchObject({ delivered: 'outbox', status: 'pending' });
      expect(await rows(a.messageId)).toMatchObject([{ status: 'pending', attempts: 1, last_error: expect.stringMatching(/ECONNREFUSED/) }]);
      clock.advance(61_000);
      expect(await down.relay()).toMatchObject({ failed: 1 });
      expect(await rows(a.messageId)).toMatchObject([{ status: 'failed', attempts: 2, last_error: expect.stringMatching(/ECONNREFUSED/) }]);

      const b = msg();
      const started = Date.now();
      expect(await silent.send(b)).toMatchObject({ delivered: 'outbox', status: 'failed' });
      expect(Date.now() - started, 'the greeting timeout applies').toBeLessThan(5_000);
      expect((await rows(b.messageId))[0]!.last_error).toMatch(/greeting|timeout/i);
    } finally {
      down.close();
      silent.close();
      for (const s of sockets) s.destroy();
      await new Promise((resolve) => mute.close(resolve));
    }
  });

  it('refuses malformed messages before writing anything', async () => {
    const count = async () => (await t.database.pool.query(`select count(*)::int as n from crm.mail_outbox`)).rows[0].n as number;
    const before = await count();
    const bad: Partial<MailMessage>[] = [
      { to: ['a@example.com, b@example.com'] },
      { to: ['Victim <a@example.com>'] },
      { to: [] },
      { cc: ['x@example.com\r\nBcc: y@example.com'] },
      { messageId: '<a@b>\r\nBcc: y@example.com' },
      { messageId: 'no-at-sign' },
      { from: 'evil@example.com\nX: y' },
      { meta: { host: 'smtp.evil.example' } as never },
      { workspaceId: 'acme' },
    ];
    for (const over of bad) await expect(mailer.send(msg(over)), JSON.stringify(over)).rejects.toMatchObject({ code: 'CRM_ERR_BAD_REQUEST' });
    expect(await count()).toBe(before);
    // A subject stays one header line.
    const m = msg({ subject: '报价\r\nBcc: y@example.com' });
    await mailer.send(m);
    expect(smtp.withId(m.messageId)[0]!.mail.subject).toBe('报价 Bcc: y@example.com');
    expect(smtp.withId(m.messageId)[0]!.rcpt).toEqual(['zhang.wei@customer.example']);
  });

  it('reads SMTP_URL (smtp/smtps, default ports, percent-encoded credentials) and nothing else', () => {
    expect(parseSmtpUrl('smtps://u%40x.cn:p%3Aw@smtp.example.com')).toEqual({ host: 'smtp.example.com', port: 465, secure: true, requireTLS: false, auth: { user: 'u@x.cn', pass: 'p:w' } });
    expect(parseSmtpUrl('smtp://mail.example.com?requireTLS=true')).toEqual({ host: 'mail.example.com', port: 587, secure: false, requireTLS: true });
    expect(() => parseSmtpUrl('http://mail.example.com')).toThrow(/smtp:\/\/ or smtps:\/\//);
    expect(() => parseSmtpUrl('smtp://u:secret@mail.example.com?tls=off')).toThrow(/unknown parameter/);
    expect(() => parseSmtpUrl('smtp://u:secret@mail.example.com?tls=off')).not.toThrow(/secret/);
  });

  it('build() with an SMTP URL runs a relay that sends what a committed transaction left pending', async () => {
    const app = await build({ database: t.database, clock, mail: { smtpUrl: smtp.url(), relayEveryMs: 50, ...fast } });
    try {
      expect(app.services.mailer.mode).toBe('smtp');
      expect(app.services.mailer.describe).toBe(`smtp://127.0.0.1:${smtp.port}`);
      const m = msg();
      await t.database.db.transaction().execute((tx) => app.services.mailer.enqueue(tx, m));
      for (let i = 0; i < 100 && !smtp.withId(m.messageId).length; i++) await new Promise((r) => setTimeout(r, 50));
      expect(smtp.withId(m.messageId)).toHaveLength(1);
      expect(await rows(m.messageId)).toMatchObject([{ status: 'sent', attempts: 1 }]);
    } finally {
      await app.close();
    }
  });

  describe('routes', () => {
    const people: Record<string, string> = {};
    let otherId: string;
    const get = (who: string, url: string, slug = t.slug) => t.app.inject({ method: 'GET', url: `/api/w/${slug}${url}`, headers: { cookie: people[who]! } });

    beforeAll(async () => {
      people.owner = t.cookie;
      for (const role of ['designer', 'member'] as const) {
        const u = await createUser(t.database.db, { email: `${role}@example.com`, name: role, password: 'member-password-1' });
        await addMember(t.database.db, wsId, u.id, role);
        people[role] = await t.login(`${role}@example.com`, 'member-password-1');
      }
      const ownerId = (await t.database.pool.query(`select id from crm.users where email = 'owner@example.com'`)).rows[0].id;
      const other = await createWorkspace(t.database.db, { slug: 'beta', name: 'Beta 贸易', ownerId }, {});
      otherId = (await t.app.services.mailer.send(msg({ workspaceId: other.id, subject: '另一个工作区' }))).id;
    });

    it('lists the workspace outbox newest first for owners and designers, filtered by status, page by page', async () => {
      const res = await get('owner', '/outbox?limit=2');
      expect(res.statusCode, res.body).toBe(200);
      const page1 = res.json() as { data: Record<string, any>[]; nextCursor: string | null };
      expect(page1.data).toHaveLength(2);
      expect(page1.data[0]).not.toHaveProperty('html');
      expect(page1.data[0]).toMatchObject({ messageId: expect.stringMatching(/^<.+@.+>$/), to: expect.any(Array), meta: expect.any(Object) });
      const page2 = (await get('owner', `/outbox?limit=2&cursor=${page1.nextCursor}`)).json() as { data: Record<string, any>[] };
      const all = (await get('designer', '/outbox?limit=100')).json().data as Record<string, any>[];
      expect(all.slice(0, 4).map((r) => r.id)).toEqual([...page1.data, ...page2.data].map((r) => r.id));
      expect(all.map((r) => r.createdAt)).toEqual([...all.map((r) => r.createdAt)].sort().reverse());
      expect(all.some((r) => r.id === otherId)).toBe(false);
      const failed = (await get('owner', '/outbox?status=failed')).json().data as Record<string, any>[];
      expect(failed.length).toBeGreaterThan(0);
      expect(failed.every((r) => r.status === 'failed' && r.lastError)).toBe(true);
      expect((await get('owner', '/outbox?status=bogus')).statusCode).toBe(400);
      expect((await get('owner', '/outbox?limit=0')).statusCode).toBe(400);
      expect((await get('owner', '/outbox?cursor=nope')).statusCode).toBe(400);
      expect((await get('owner', '/outbox?host=x')).statusCode).toBe(400);
    });

    it('shows one message with its HTML as data (JSON), never as a page', async () => {
      const captured = (await get('owner', '/outbox?status=captured')).json().data as Record<string, any>[];
      expect(captured.map((r) => r.id)).toContain(capturedId);
      const res = await get('designer', `/outbox/${capturedId}`);
      expect(res.statusCode, res.body).toBe(200);
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      expect(res.json().data).toMatchObject({
        id: capturedId, status: 'captured', attempts: 0, sentAt: null, nextAttemptAt: null,
        to: ['zhang.wei@customer.example'], cc: [], from: null, text: expect.stringContaining('已审批通过'),
        html: '<img src=x onerror=alert(1)>', meta: { flow: 'flw_quote', step: 'step1', entity: 'quotes' },
      });
    });

    it('a plain member gets 403, another workspace\'s message 404, a stranger 401', async () => {
      expect((await get('member', '/outbox')).statusCode).toBe(403);
      expect((await get('member', '/outbox')).json().code).toBe('CRM_ERR_FORBIDDEN');
      const mine = (await get('owner', '/outbox?limit=1')).json().data[0];
      expect((await get('member', `/outbox/${mine.id}`)).statusCode).toBe(403);
      const other = await get('owner', `/outbox/${otherId}`);
      expect(other.statusCode).toBe(404);
      expect(other.json().code).toBe('CRM_ERR_NOT_FOUND');
      expect((await get('owner', `/outbox/${otherId}`, 'beta')).statusCode).toBe(200);
      expect((await get('designer', `/outbox/${otherId}`, 'beta')).statusCode, 'not a member of beta').toBe(404);
      expect((await get('owner', '/outbox/not-a-uuid')).statusCode).toBe(404);
      expect((await t.app.inject({ method: 'GET', url: `/api/w/${t.slug}/outbox` })).statusCode).toBe(401);
    });
  });
});
