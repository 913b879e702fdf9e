import type { FastifyError, FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { AppError } from './app-error.js';
import { detailMessages } from './details.js';
import { pickLang } from './i18n.js';
import { isDatabaseUnavailable } from '../infra/db.js';

/** Turns every failure into the error body of CONVENTIONS.md §3, in the request's language. */
export const errorsPlugin = fp(
  async (app: FastifyInstance) => {
    app.setErrorHandler((raw: FastifyError | Error, request, reply) => {
      const err = toAppError(raw);
      if (err.status >= 500 && err.code !== 'CRM_ERR_DB_UNAVAILABLE') request.log.error({ err: raw }, 'request failed');
      for (const [k, v] of Object.entries(err.headers)) void reply.header(k, v);
      return reply.status(err.status).send(err.body(pickLang(request.headers['accept-language']), detailMessages));
    });
    app.setNotFoundHandler((request, reply) => {
      const err = new AppError('CRM_ERR_NOT_FOUND');
      return reply.status(404).send(err.body(pickLang(request.headers['accept-language']), detailMessages));
    });
  },
  { name: 'crm-errors' },
);

function toAppError(err: FastifyError | Error): AppError {
  if (err instanceof AppError) return err;
  if (isDatabaseUnavailable(err)) {
    return new AppError('CRM_ERR_DB_UNAVAILABLE', {}, [], {}, { 'retry-after': '5' });
  }
  const fe = err as FastifyError;
  if (fe.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return new AppError('CRM_ERR_PAYLOAD_TOO_LARGE');
  if (fe.validation) {
    return new AppError(
      'CRM_ERR_BAD_REQUEST',
      { reason: fe.message },
      fe.validation.map((v) => ({
        pointer: v.instancePath || '/',
        code: 'REQUEST_SCHEMA',
        params: { reason: v.message ?? v.keyword },
      })),
    );
  }
  if (typeof fe.statusCode === 'number' && fe.statusCode >= 400 && fe.statusCode < 500) {
    if (fe.statusCode === 413) return new AppError('CRM_ERR_PAYLOAD_TOO_LARGE');
    return new AppError('CRM_ERR_BAD_REQUEST', { reason: fe.message });
  }
  return new AppError('CRM_ERR_INTERNAL');
}
