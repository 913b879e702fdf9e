import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { AppError } from '../errors/app-error.js';
import { findSessionUser, readCookie, SESSION_COOKIE } from './sessions.js';

/** Resolves the signed-in user from the session cookie; routes decide whether one is required. */
export const authPlugin = fp(
  async (app: FastifyInstance) => {
    app.decorateRequest('user', null);
    app.addHook('onRequest', async (request) => {
      const token = readCookie(request.headers.cookie, SESSION_COOKIE);
      if (!token) return;
      request.user = (await findSessionUser(app.services.database.db, app.services.clock, token)) ?? null;
    });
  },
  { name: 'crm-auth', dependencies: ['crm-errors'] },
);

export function requireUser(request: FastifyRequest) {
  if (!request.user) throw new AppError('CRM_ERR_UNAUTHENTICATED');
  return request.user;
}
