import type { Kysely } from 'kysely';
import { hashPassword } from '../auth/passwords.js';
import { uuidv7 } from '../infra/ids.js';

export async function createUser(db: Kysely<any>, input: { email: string; name: string; password: string; locale?: string }) {
  const id = uuidv7();
  await db
    .insertInto('crm.users')
    .values({ id, email: input.email.trim().toLowerCase(), name: input.name, password_hash: await hashPassword(input.password), locale: input.locale ?? 'zh-CN' })
    .execute();
  return { id, email: input.email.trim().toLowerCase(), name: input.name };
}
