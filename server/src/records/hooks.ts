import type { Transaction } from 'kysely';

/**
 * Where later issues hang work onto every record write, inside its
 * transaction: normalisation, duplicate checks, automation jobs.
 */
export interface WriteEvent {
  kind: 'create' | 'update' | 'delete' | 'restore';
  entity: string;
  recordId: string;
  before: Record<string, unknown> | null;
  after: Record<string, unknown>;
  tx: Transaction<any>;
}

export type WriteHook = (event: WriteEvent) => Promise<void>;

const hooks: WriteHook[] = [];

export function registerWriteHook(hook: WriteHook): () => void {
  hooks.push(hook);
  return () => {
    const i = hooks.indexOf(hook);
    if (i >= 0) hooks.splice(i, 1);
  };
}

export async function runHooks(event: WriteEvent): Promise<void> {
  for (const h of hooks) await h(event);
}

export function hasHooks(): boolean {
  return hooks.length > 0;
}
