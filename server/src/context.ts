import type { Database } from './infra/db.js';
import type { Clock } from './infra/clock.js';
import type { SessionUser } from './auth/sessions.js';
import type { MetadataCache } from './metadata/cache.js';
import type { AccessCache } from './workspaces/access-cache.js';
import type { MetadataService } from './metadata/service.js';
import type { RecordsService } from './records/service.js';
import type { OutboxMailer } from './mail/mailer.js';
import type { AutomationHandle } from './automation/module.js';

export interface WorkspaceContext {
  id: string;
  slug: string;
  schemaName: string;
  settings: WorkspaceSettings;
  role: SystemRole;
  /** Entity roles (role document keys) of the caller. */
  roleKeys: string[];
  /** Users of the caller's teams; and of those teams with all their sub-teams. */
  teamUsers: string[];
  teamTreeUsers: string[];
}

export type SystemRole = 'owner' | 'admin' | 'designer' | 'member';

export interface WorkspaceSettings {
  timeZone: string;
  currency: string;
  locale: 'zh-CN' | 'en';
  fiscalYearStartMonth: number;
  /** Records one member may claim from an entity's public pool per day (workspace time zone); 0 closes the pool to claims. */
  poolClaimLimit: number;
}

export const DEFAULT_SETTINGS: WorkspaceSettings = {
  timeZone: 'Asia/Shanghai',
  currency: 'CNY',
  locale: 'zh-CN',
  fiscalYearStartMonth: 1,
  poolClaimLimit: 20,
};

/** What route modules receive: narrow services, never the whole app. */
export interface Services {
  database: Database;
  clock: Clock;
  metadataCache: MetadataCache;
  accessCache: AccessCache;
  metadata: MetadataService;
  records: RecordsService;
  /** Outgoing mail through the outbox (SMTP_URL, or captured). */
  mailer: OutboxMailer;
  /** Set by the automation module at build: its queue, and the pump and recovery sweep (tests drive them). */
  automation?: AutomationHandle;
}

declare module 'fastify' {
  interface FastifyInstance {
    services: Services;
  }
  interface FastifyRequest {
    user: SessionUser | null;
    workspace: WorkspaceContext | null;
  }
}
