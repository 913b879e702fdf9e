import { sql, type Kysely, type Transaction } from 'kysely';
import type { Flow } from '@crm/metadata';
import type { PublishHook } from '../metadata/service.js';
import { TtlCache } from './ttl-cache.js';
import type { StoredDocument } from '../metadata/cache.js';

const flowsOf = (docs: StoredDocument[]) => docs.filter((d) => d.kind === 'flow').map((d) => d.body as unknown as Flow);

/**
 * At publish, in its transaction: each new or changed flow is owned by the
 * member who published it (its runs act with that member's rights, never
 * more); the (entity, action) pairs the enabled flows listen to are kept,
 * which is what makes those writes fill the automation inbox.
 */
export const syncFlowsOnPublish: PublishHook = async (tx, ws, actor, revision, documents, before) => {
  const previous = new Map(flowsOf(before).map((f) => [f.id, JSON.stringify(f)]));
  const flows = flowsOf(documents);
  for (const f of flows) {
    if (previous.get(f.id) === JSON.stringify(f)) continue;
    await sql`insert into crm.automation_flows (workspace_id, flow_id, owner_id, published_revision) values (${ws.id}::uuid, ${f.id}, ${actor.userId}::uuid, ${revision})
      on conflict (workspace_id, flow_id) do update set owner_id = excluded.owner_id, published_revision = excluded.published_revision`.execute(tx);
  }
  await setCaptures(tx, ws.id, flows);
};

const ACTIONS = { created: 'record.create', updated: 'record.update', deleted: 'record.delete', restored: 'record.restore' } as const;

/** The (entity, audit action) pairs the enabled flows listen to: the only writes the capture trigger copies into the inbox. */
export function capturesOf(flows: Flow[]): { entity: string; action: string }[] {
  const pairs = new Set<string>();
  for (const f of flows) {
    if (!f.enabled) continue;
    const t = f.trigger;
    const actions: string[] = t.kind === 'record' ? t.on.map((e) => ACTIONS[e])
      : t.kind === 'field_changed' ? [ACTIONS.created, ACTIONS.updated]
      // A time trigger's anchor is set, moved or dropped by these.
      : t.kind === 'time' ? [ACTIONS.created, ACTIONS.updated, ACTIONS.deleted, ACTIONS.restored] : [];
    for (const a of actions) pairs.add(`${(t as { entity: string }).entity}\u0000${a}`);
  }
  return [...pairs].sort().map((p) => { const [entity, action] = p.split('\u0000'); return { entity: entity!, action: action! }; });
}

export async function setCaptures(db: Kysely<any> | Transaction<any>, workspaceId: string, flows: Flow[]): Promise<void> {
  await sql`delete from crm.automation_captures where workspace_id = ${workspaceId}::uuid`.execute(db);
  const rows = capturesOf(flows);
  if (rows.length) await db.insertInto('crm.automation_captures').values(rows.map((r) => ({ workspace_id: workspaceId, ...r }))).execute();
}

/**
 * Flows by workspace and revision. A revision never changes once published,
 * so entries are kept (a run resumed days later still reads the flow it
 * started with); a small LRU bounds memory.
 */
export class FlowCatalogue {
  private readonly byRevision = new Map<string, Map<string, Flow>>();
  private readonly owners = new TtlCache<string | null>(5_000);

  constructor(private readonly db: Kysely<any>, private readonly max = 200) {}

  async at(workspaceId: string, revision: number): Promise<Map<string, Flow>> {
    const key = `${workspaceId}:${revision}`;
    let flows = this.byRevision.get(key);
    if (flows) {
      this.byRevision.delete(key);
      this.byRevision.set(key, flows);
      return flows;
    }
    const rows = await this.db.selectFrom('crm.metadata_documents').select(['doc_id', 'body'])
      .where('workspace_id', '=', workspaceId).where('revision', '=', revision).where('kind', '=', 'flow').execute();
    flows = new Map(rows.map((r) => [r.doc_id as string, r.body as Flow]));
    this.byRevision.set(key, flows);
    if (this.byRevision.size > this.max) this.byRevision.delete(this.byRevision.keys().next().value!);
    return flows;
  }

  /** The member whose rights a flow's runs have. */
  /** The member whose rights a flow's runs have (a publish changes it; read again after a few seconds). */
  owner(workspaceId: string, flowId: string): Promise<string | null> {
    return this.owners.get(`${workspaceId}:${flowId}`, async () => {
      const row = await this.db.selectFrom('crm.automation_flows').select('owner_id').where('workspace_id', '=', workspaceId).where('flow_id', '=', flowId).executeTakeFirst();
      return (row?.owner_id as string | undefined) ?? null;
    });
  }
}

