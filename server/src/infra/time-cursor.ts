import { AppError } from '../errors/app-error.js';
import { isUuid } from './ids.js';

/**
 * Keyset pagination over (created_at, id), newest first: the cursor is the
 * last row's pair, opaque to clients (base64url JSON).
 */
export function encodeTimeCursor(at: Date, id: string): string {
  return Buffer.from(JSON.stringify([at.toISOString(), id])).toString('base64url');
}

export function decodeTimeCursor(cursor: string): { at: string; id: string } {
  try {
    const [at, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown[];
    if (typeof at === 'string' && !Number.isNaN(Date.parse(at)) && isUuid(id)) return { at, id };
  } catch {
    // fall through: a malformed cursor is the client's mistake
  }
  throw new AppError('CRM_ERR_BAD_REQUEST', { reason: 'cursor' });
}
