import { SCOPES, type Role, type Scope } from '../schemas/role.js';
import { checkKey, checkUnique, liveEntity, type Ctx } from './context.js';
import { ptr, type Sinks } from './issue.js';

const rank = (s: Scope) => SCOPES.indexOf(s);
const OWNER_SCOPES: ReadonlySet<Scope> = new Set(['own', 'team', 'teamTree']);

/**
 * Permissions name live entities; update and delete never reach further than
 * read; owner-based scopes only on entities whose records have an owner (or
 * a parent that has one); pools only on owned entities.
 */
export function checkRole(r: Role, { own, ref }: Sinks, ctx: Ctx): void {
  checkKey(r.key, '/key', own);
  for (const [entity, p] of Object.entries(r.permissions)) {
    const at = ptr('permissions', entity);
    for (const right of ['update', 'delete'] as const) {
      if (rank(p[right]) > rank(p.read)) own(`${at}/${right}`, 'META_SCOPE_WIDER_THAN_READ', { entity, right });
    }
    const e = liveEntity(ctx, entity, at, ref);
    if (e && e.body.ownership === 'none' && !e.body.parentField) {
      for (const right of ['read', 'update', 'delete'] as const) {
        if (OWNER_SCOPES.has(p[right])) ref(`${at}/${right}`, 'META_SCOPE_NO_OWNER', { entity, scope: p[right] });
      }
    }
  }
  const pool = r.pool ?? [];
  checkUnique(pool, (i) => ptr('pool', i), own);
  pool.forEach((k, i) => {
    const e = liveEntity(ctx, k, ptr('pool', i), ref);
    if (e && e.body.ownership !== 'owned') ref(ptr('pool', i), 'META_POOL_NOT_OWNED', { entity: k });
  });
}
