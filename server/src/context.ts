import type { Database } from './infra/db.js';
import type { Clock } from './infra/clock.js';
import type { SessionUser } from './auth/sessions.js';
import type { MetadataCache } from './metadata/cache.js';

export interface WorkspaceContext {
  id: string;
  slug: string;
  schemaName: string;
  settings: WorkspaceSettings;
  role: SystemRole;
}

export type SystemRole = 'owner' | 'admin' | 'designer' | 'member';

export interface WorkspaceSettings {
  timeZone: string;
  currency: string;
  locale: 'zh-CN' | 'en';
  fiscalYearStartMonth: number;
}

export const DEFAULT_SETTINGS: WorkspaceSettings = {
  timeZone: 'Asia/Shanghai',
  currency: 'CNY',
  locale: 'zh-CN',
  fiscalYearStartMonth: 1,
};

/** What route modules receive: narrow services, never the whole app. */
export interface Services {
  database: Database;
  clock: Clock;
  metadataCache: MetadataCache;
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
