import { sql, type Kysely } from 'kysely';

/** Closed values of one column: a pipeline's won/lost stages, a lead's closed statuses. */
export interface ClosedValues { field: string; values: string[] }

export interface EntityFacts {
  /** Records holding one of these values are not open work (least_loaded does not count them). */
  closed: ClosedValues[];
  /** Option labels (every language) of a select field's option key, for matching it against team regions. */
  labelsOf(field: string, key: string): string[];
}

/**
 * What assignment needs from the published metadata, in one statement: the
 * entity document and its pipelines of the published revision. pickOwner gets
 * `{key, table}` only (the engine need not hand over a model), so it reads the
 * documents itself; the primary key (workspace, revision, kind) finds them.
 */
export async function entityFacts(db: Kysely<any>, workspaceId: string, entityKey: string): Promise<EntityFacts> {
  const { rows } = await sql<{ kind: string; body: Record<string, any> }>`
    select d.kind, d.body from crm.workspaces w
    join crm.metadata_documents d on d.workspace_id = w.id and d.revision = w.published_revision
    where w.id = ${workspaceId}::uuid
      and ((d.kind = 'entity' and d.body->>'key' = ${entityKey}) or (d.kind = 'pipeline' and d.body->>'entity' = ${entityKey}))`.execute(db);
  const entity = rows.find((r) => r.kind === 'entity')?.body;
  const closed: ClosedValues[] = rows.filter((r) => r.kind === 'pipeline').map((r) => ({
    field: String(r.body.field),
    values: ((r.body.stages ?? []) as { key: string; outcome?: string }[]).filter((s) => s.outcome === 'won' || s.outcome === 'lost').map((s) => s.key),
  }));
  const status = entity?.conversion?.status as { field: string; converted: string; closed: string[] } | undefined;
  if (status) closed.push({ field: status.field, values: [status.converted, ...status.closed] });
  const fields = new Map(((entity?.fields ?? []) as Record<string, any>[]).map((f) => [String(f.key), f]));
  return {
    closed: closed.filter((c) => c.values.length && fields.has(c.field)),
    labelsOf(field, key) {
      const option = ((fields.get(field)?.options ?? []) as { key: string; label?: Record<string, string> }[]).find((o) => o.key === key);
      return option?.label ? Object.values(option.label) : [];
    },
  };
}
