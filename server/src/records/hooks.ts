import type { Transaction } from 'kysely';

/**
 * Where later issues hang work onto every record write, inside its
 * transaction: normalisation, duplicate checks, automation jobs. One registry
 * per records service (so two servers in one process never share hooks).
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

export class WriteHooks {
  private readonly hooks: WriteHook[] = [];

  register(hook: WriteHook): () => void {
    this.hooks.push(hook);
    return () => {
      const i = this.hooks.indexOf(hook);
      if (i >= 0) this.hooks.splice(i, 1);
    };
  }

  /** With hooks registered, every write takes the transactional path so they run inside it. */
  get any(): boolean {
    return this.hooks.length > 0;
  }

  async run(event: WriteEvent): Promise<void> {
    for (const h of this.hooks) await h(event);
  }
}
