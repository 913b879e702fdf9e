import { createHash, randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Clock } from '../infra/clock.js';

export const SESSION_COOKIE = 'crm_session';
const SESSION_DAYS = 14;

export interface SessionUser {
  id: string;
  email: string;
  name: string;
  locale: string;
}

export const digest = (token: string) => createHash('sha256').update(token).digest('hex');

/** Sessions live in PostgreSQL; only a hash of the token is stored, so a leaked table grants nothing. */
export async function createSession(db: Kysely<any>, clock: Clock, userId: string, meta: { ip?: string; userAgent?: string }) {
  const token = randomBytes(32).toString('base64url');
  const expiresAt = new Date(clock.now().getTime() + SESSION_DAYS * 86_400_000);
  await db
    .insertInto('crm.sessions')
    .values({ id_hash: digest(token), user_id: userId, expires_at: expiresAt, ip: meta.ip ?? null, user_agent: meta.userAgent?.slice(0, 300) ?? null, created_at: clock.now() })
    .execute();
  return { token, expiresAt };
}

export async function findSessionUser(db: Kysely<any>, clock: Clock, token: string): Promise<SessionUser | undefined> {
  if (!/^[A-Za-z0-9_-]{20,100}$/.test(token)) return undefined;
  const row = await db
    .selectFrom('crm.sessions as s')
    .innerJoin('crm.users as u', 'u.id', 's.user_id')
    .select(['u.id', 'u.email', 'u.name', 'u.locale'])
    .where('s.id_hash', '=', digest(token))
    .where('s.expires_at', '>', clock.now())
    .where('u.status', '=', 'active')
    .executeTakeFirst();
  return row as SessionUser | undefined;
}

export async function deleteSession(db: Kysely<any>, token: string) {
  await db.deleteFrom('crm.sessions').where('id_hash', '=', digest(token)).execute();
}


export function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const i = part.indexOf('=');
    if (i > 0 && part.slice(0, i).trim() === name) return decodeURIComponent(part.slice(i + 1).trim());
  }
  return undefined;
}
