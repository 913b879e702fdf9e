import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { AppError } from '../errors/app-error.js';
import { findSessionUser, readCookie, SESSION_COOKIE, type SessionUser } from './sessions.js';

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

export function setUser(request: FastifyRequest, user: SessionUser | null) {
  request.user = user;
  resolved.add(request);
}

export async function currentUser(request: FastifyRequest): Promise<SessionUser | null> {
  if (!resolved.has(request)) {
    const token = sessionToken(request);
    const { database, clock } = request.server.services;
    setUser(request, token ? (await findSessionUser(database.db, clock, token)) ?? null : null);
  }
  return request.user;
}

export async function requireUser(request: FastifyRequest): Promise<SessionUser> {
  const user = await currentUser(request);
  if (!user) throw new AppError('CRM_ERR_UNAUTHENTICATED');
  return user;
}
