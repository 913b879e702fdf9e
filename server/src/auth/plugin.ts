import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { AppError } from '../errors/app-error.js';
import { digest, findSessionUser, readCookie, SESSION_COOKIE, type SessionUser } from './sessions.js';

const resolved = new WeakSet<FastifyRequest>();

/**
 * Sessions are resolved on demand, once per request: workspace routes get the
 * user together with the workspace in one query (workspaces/routes.ts), other
 * routes through `requireUser`.
 */
export const authPlugin = fp(
  async (app: FastifyInstance) => {
    app.decorateRequest('user', null);
  },
  { name: 'crm-auth', dependencies: ['crm-errors'] },
);

export function sessionToken(request: FastifyRequest): string | undefined {
  const token = readCookie(request.headers.cookie, SESSION_COOKIE);
  return token && /^[A-Za-z0-9_-]{20,100}$/.test(token) ? token : undefined;
}

export const API_TOKEN_PREFIX = 'crm_pat_';

/** A personal API token from `Authorization: Bearer crm_pat_...`. */
export function bearerToken(request: FastifyRequest): string | undefined {
  const h = request.headers.authorization;
  const m = typeof h === 'string' ? /^Bearer (crm_pat_[A-Za-z0-9_-]{20,100})$/.exec(h) : null;
  return m?.[1];
}

/** The credential of a request: an API token if one is sent, else the session cookie. */
export function credentialOf(request: FastifyRequest): { kind: 'session' | 'token'; hash: string } | undefined {
  const bearer = bearerToken(request);
  if (bearer) return { kind: 'token', hash: digest(bearer) };
  const token = sessionToken(request);
  return token ? { kind: 'session', hash: digest(token) } : undefined;
}

export function setUser(request: FastifyRequest, user: SessionUser | null) {
  request.user = user;
  resolved.add(request);
}

export async function currentUser(request: FastifyRequest): Promise<SessionUser | null> {
  if (!resolved.has(request)) {
    const { database, clock } = request.server.services;
    const bearer = bearerToken(request);
    if (bearer) {
      const row = await database.db.selectFrom('crm.api_tokens as t').innerJoin('crm.users as u', 'u.id', 't.user_id')
        .select(['u.id', 'u.email', 'u.name', 'u.locale']).where('t.token_hash', '=', digest(bearer)).where('t.revoked_at', 'is', null)
        .where('u.status', '=', 'active').executeTakeFirst();
      setUser(request, (row as SessionUser | undefined) ?? null);
    } else {
      const token = sessionToken(request);
      setUser(request, token ? (await findSessionUser(database.db, clock, token)) ?? null : null);
    }
  }
  return request.user;
}

export async function requireUser(request: FastifyRequest): Promise<SessionUser> {
  const user = await currentUser(request);
  if (!user) throw new AppError('CRM_ERR_UNAUTHENTICATED');
  return user;
}
