import type { FastifyRequest } from 'fastify';
import { AppError } from '../errors/app-error.js';

/** `If-Match: "<n>"` (a record version or a draft revision): required (428), a non-negative integer (400). */
export function ifMatchOf(request: FastifyRequest): number {
  const raw = request.headers['if-match'];
  if (raw === undefined) throw new AppError('CRM_ERR_PRECONDITION_REQUIRED');
  const m = /^(?:W\/)?"?(\d{1,9})"?$/.exec(String(raw).trim());
  if (!m) throw new AppError('CRM_ERR_BAD_REQUEST', { reason: 'If-Match' });
  return Number(m[1]);
}
