import type { FastifyInstance } from 'fastify';
import { AppError } from '../errors/app-error.js';
import { randomBytes } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import type { Clock } from '../infra/clock.js';
import { uuidv7 } from '../infra/ids.js';
import { API_TOKEN_PREFIX, bearerToken, requireUser } from './plugin.js';
import { dummyHash, verifyPassword } from './passwords.js';
import { createSession, deleteSession, digest, readCookie, SESSION_COOKIE } from './sessions.js';

const loginBody = {
  type: 'object',
  required: ['email', 'password'],
  additionalProperties: false,
  properties: { email: { type: 'string', minLength: 3, maxLength: 320 }, password: { type: 'string', minLength: 1, maxLength: 1024 } },
} as const;

export async function authRoutes(app: FastifyInstance) {
  const { database, clock } = app.services;

  app.post<{ Body: { email: string; password: string } }>('/api/auth/login', { schema: { body: loginBody } }, async (request, reply) => {
    const email = request.body.email.trim().toLowerCase();
    await checkLoginRate(database.db, clock, email, request.ip);
    const user = await database.db
      .selectFrom('crm.users')
      .select(['id', 'email', 'name', 'locale', 'password_hash', 'status'])
      .where((eb) => eb(eb.fn('lower', ['email']), '=', request.body.email.trim().toLowerCase()))
      .executeTakeFirst();
    const ok = await verifyPassword(user?.password_hash ?? (await dummyHash()), request.body.password);
    if (!user || !ok || user.status !== 'active') {
      await database.db.insertInto('crm.login_attempts').values([{ key: `email:${email}`, at: clock.now() }, { key: `ip:${request.ip}`, at: clock.now() }]).execute();
      throw new AppError('CRM_ERR_INVALID_CREDENTIALS');
    }
    await database.db.deleteFrom('crm.login_attempts').where('key', '=', `email:${email}`).execute();
    // A fresh session id on every login (no fixation); the old cookie's session, if any, ends.
    const old = readCookie(request.headers.cookie, SESSION_COOKIE);
    if (old) await deleteSession(database.db, old);
    const { token, expiresAt } = await createSession(database.db, clock, user.id, { ip: request.ip, userAgent: request.headers['user-agent'] });
    void reply.header(
      'set-cookie',
      `${SESSION_COOKIE}=${token}; Path=/; HttpOnly; SameSite=Lax; Expires=${expiresAt.toUTCString()}${request.protocol === 'https' ? '; Secure' : ''}`,
    );
    return { data: { id: user.id, email: user.email, name: user.name, locale: user.locale } };
  });

  app.post('/api/auth/logout', async (request, reply) => {
    const token = readCookie(request.headers.cookie, SESSION_COOKIE);
    if (token) await deleteSession(database.db, token);
    app.services.accessCache.clear();
    void reply.header('set-cookie', `${SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0`);
    return reply.status(204).send();
  });

  app.post<{ Body: { name: string } }>('/api/auth/tokens', {
    schema: { body: { type: 'object', additionalProperties: false, required: ['name'], properties: { name: { type: 'string', minLength: 1, maxLength: 100 } } } },
  }, async (request, reply) => {
    const user = await requireUser(request);
    // A token can only be made from a signed-in session, never by another token.
    if (bearerToken(request)) throw new AppError('CRM_ERR_FORBIDDEN');
    const token = `${API_TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
    const id = uuidv7();
    await database.db.insertInto('crm.api_tokens').values({ id, user_id: user.id, name: request.body.name, token_hash: digest(token) }).execute();
    return reply.status(201).send({ data: { id, name: request.body.name, token } });
  });

  app.get('/api/auth/tokens', async (request) => {
    const user = await requireUser(request);
    const rows = await database.db.selectFrom('crm.api_tokens').select(['id', 'name', 'created_at', 'last_used_at', 'revoked_at']).where('user_id', '=', user.id).orderBy('created_at', 'desc').execute();
    return { data: rows };
  });

  app.delete<{ Params: { id: string } }>('/api/auth/tokens/:id', async (request, reply) => {
    const user = await requireUser(request);
    if (!/^[0-9a-f-]{36}$/.test(request.params.id)) throw new AppError('CRM_ERR_NOT_FOUND');
    const res = await database.db.updateTable('crm.api_tokens').set({ revoked_at: clock.now() }).where('id', '=', request.params.id)
      .where('user_id', '=', user.id).where('revoked_at', 'is', null).executeTakeFirst();
    if (!Number(res.numUpdatedRows)) throw new AppError('CRM_ERR_NOT_FOUND');
    app.services.accessCache.clear();
    return reply.status(204).send();
  });

  app.get('/api/auth/me', async (request) => {
    const user = await requireUser(request);
    const workspaces = await database.db
      .selectFrom('crm.workspace_members as m')
      .innerJoin('crm.workspaces as w', 'w.id', 'm.workspace_id')
      .select(['w.slug', 'w.name', 'm.system_role as role'])
      .where('m.user_id', '=', user.id)
      .where('m.status', '=', 'active')
      .orderBy('w.slug')
      .execute();
    return { data: { ...user, workspaces } };
  });
}

const WINDOW_MS = 15 * 60_000;
const MAX_PER_EMAIL = 5;
const MAX_PER_IP = 30;

/** Failed logins per email and per address in the last 15 minutes, shared by every server process. */
async function checkLoginRate(db: Kysely<any>, clock: Clock, email: string, ip: string) {
  const since = new Date(clock.now().getTime() - WINDOW_MS);
  const { rows } = await sql<{ by_email: number; by_ip: number; oldest: Date | null }>`
    select count(*) filter (where key = ${`email:${email}`})::int as by_email,
           count(*) filter (where key = ${`ip:${ip}`})::int as by_ip,
           min(at) as oldest
    from crm.login_attempts where key in (${`email:${email}`}, ${`ip:${ip}`}) and at > ${since}`.execute(db);
  const r = rows[0]!;
  if (r.by_email >= MAX_PER_EMAIL || r.by_ip >= MAX_PER_IP) {
    const wait = r.oldest ? Math.max(1, Math.ceil((r.oldest.getTime() + WINDOW_MS - clock.now().getTime()) / 1000)) : 60;
    throw new AppError('CRM_ERR_RATE_LIMITED', {}, [], {}, { 'retry-after': String(wait) });
  }
}
