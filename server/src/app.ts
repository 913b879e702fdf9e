import Fastify, { type FastifyInstance } from 'fastify';
import { authPlugin } from './auth/plugin.js';
import { authRoutes } from './auth/routes.js';
import { errorsPlugin } from './errors/plugin.js';
import { healthRoutes } from './health/routes.js';
import { systemClock, type Clock } from './infra/clock.js';
import type { Database } from './infra/db.js';
import { MetadataCache } from './metadata/cache.js';
import { ChangeFeed } from './infra/change-feed.js';
import { AccessCache } from './workspaces/access-cache.js';
import { metadataRoutes } from './metadata/routes.js';
import { MetadataService } from './metadata/service.js';
import { RecordsService } from './records/service.js';
import { recordRoutes } from './records/routes.js';
import { bulkRoutes } from './records/bulk-routes.js';
import { searchRoutes } from './search/routes.js';
import { adminRoutes } from './admin/routes.js';
import { savedViewRoutes } from './views/routes.js';
import { fileRoutes } from './files/routes.js';
import { LocalFileStore, type FileStore } from './files/store.js';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { staticApp } from './http/static-app.js';
import { workspaceRoutes } from './workspaces/routes.js';
import { eventRoutes } from './events/routes.js';
import { notificationRoutes } from './notifications/routes.js';
import { homeRoutes } from './home/routes.js';
import { OutboxMailer, type MailOptions } from './mail/mailer.js';
import { outboxRoutes } from './mail/routes.js';
import { poolRoutes } from './pool/routes.js';
import { automationModule, type AutomationOptions } from './automation/module.js';
import { assignPort } from './automation/assign-port.js';
import './context.js';

export interface BuildOptions {
  database: Database;
  /** Where uploaded files go (default: ./data/files). */
  fileStore?: FileStore;
  /** Largest upload in bytes (413 above it). */
  maxFileBytes?: number;
  clock?: Clock;
  logger?: boolean;
  /** Maximum request body in bytes (413 above it). */
  bodyLimit?: number;
  /** The built runtime app served at /app (default: runtime/dist of this checkout). */
  runtimeDir?: string;
  /** The built designer served at /designer (default: designer/dist of this checkout). */
  designerDir?: string;
  /** How often due-task reminders run in this process (ms, default 60 s); 0 turns the timer off. */
  remindEveryMs?: number;
  /** Outgoing mail: `smtpUrl` (SMTP_URL) or nothing, which captures every message in the outbox. */
  mail?: MailOptions;
  /** Automations: the in-process worker (on by default), outbound HTTP options, budgets. */
  automation?: Omit<AutomationOptions, 'assign'>;
}

/** The app factory: everything but `listen`, so tests drive it with `inject()`. */
export async function build(opts: BuildOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger: opts.logger ? { level: 'info' } : false,
    bodyLimit: opts.bodyLimit ?? 1024 * 1024,
    trustProxy: false,
    ajv: { customOptions: { removeAdditional: false, coerceTypes: false, allErrors: true } },
  });
  const clock = opts.clock ?? systemClock;
  const feed = new ChangeFeed(opts.database.connectionString, (m) => app.log.warn(m));
  const metadataCache = new MetadataCache(feed);
  const accessCache = new AccessCache(feed, clock);
  await feed.start();
  const metadata = new MetadataService(opts.database.db, metadataCache, clock);
  const records = new RecordsService(opts.database.db, clock, (ws) => metadata.published(ws));
  const mailer = new OutboxMailer(opts.database.db, clock, opts.mail, (m) => app.log.warn(m));
  app.decorate('services', { database: opts.database, clock, metadataCache, accessCache, metadata, records, mailer });
  app.decorateRequest('workspace', null);
  app.addHook('onClose', async () => {
    await feed.close();
  });
  await app.register(errorsPlugin);
  await app.register(authPlugin);
  await app.register(healthRoutes);
  await app.register(authRoutes);
  await app.register(workspaceRoutes);
  await app.register(metadataRoutes, { metadata });
  await app.register(recordRoutes);
  await app.register(bulkRoutes);
  await app.register(searchRoutes);
  await app.register(eventRoutes, { feed });
  await app.register(adminRoutes, { metadata });
  await app.register(notificationRoutes, { remindEveryMs: opts.remindEveryMs });
  await app.register(homeRoutes);
  await app.register(savedViewRoutes);

  // Public pool (公海池): claim with a daily quota, release back (server/src/pool).
  await app.register(poolRoutes);

  // Mail: the outbox screen, and (with SMTP) the relay that sends what commits left pending, also after a restart.
  await app.register(outboxRoutes);
  const stopRelay = mailer.startRelay(opts.mail?.relayEveryMs ?? 30_000);
  app.addHook('onClose', async () => {
    stopRelay();
    mailer.close();
  });
  app.services.automation = await automationModule(app, { ...opts.automation, assign: assignPort(records, clock) });
  await app.register(staticApp, { mount: '/app', dir: opts.runtimeDir ?? fileURLToPath(new URL('../../runtime/dist', import.meta.url)) });
  await app.register(staticApp, { mount: '/designer', dir: opts.designerDir ?? fileURLToPath(new URL('../../designer/dist', import.meta.url)) });
  await app.register(fileRoutes, { store: opts.fileStore ?? new LocalFileStore(resolve('data/files')), maxBytes: opts.maxFileBytes ?? 20 * 1024 * 1024 });
  return app;
}
