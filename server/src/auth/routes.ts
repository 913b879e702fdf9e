import type { FastifyInstance } from 'fastify';
import { AppError } from '../errors/app-error.js';
import { requireUser } from './plugin.js';
import { dummyHash, verifyPassword } from './passwords.js';
import { createSession, deleteSession, readCookie, SESSION_COOKIE } from './sessions.js';

const loginBody = {
  type: 'object',
  required: ['email', 'password'],
  additionalProperties: false,
  properties: { email: { type: 'string', minLength: 3, maxLength: 320 }, password: { type: 'string', minLength: 1, maxLength: 1024 } },
} as const;

export async function authRoutes(app: FastifyInstance) {
  const { database, clock } = app.services;

  app.post<{ Body: { email: string; password: string } }>('/api/auth/login', { schema: { body: loginBody } }, async (request, reply) => {
    const user = await database.db
      .selectFrom('crm.users')
      .select(['id', 'email', 'name', 'locale', 'password_hash', 'status'])
      .where((eb) => eb(eb.fn('lower', ['email']), '=', request.body.email.trim().toLowerCase()))
      .executeTakeFirst();
    const ok = await verifyPassword(user?.password_hash ?? (await dummyHash()), request.body.password);
    if (!user || !ok || user.status !== 'active') throw new AppError('CRM_ERR_INVALID_CREDENTIALS');
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
    void reply.header('set-cookie', `${SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0`);
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
