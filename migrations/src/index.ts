import { Migrator, type Kysely, type Migration, type MigrationProvider } from 'kysely';
import * as core0001 from './2026-11-23-0001-core-system-tables.js';
import * as metadata0001 from './2026-11-23-0002-metadata-revisions.js';
import * as records0001 from './2026-11-23-0003-records-system-tables.js';
import * as access0001 from './2026-11-23-0004-access-change-notify.js';
import * as auth0001 from './2026-11-23-0005-auth-token-notify.js';
import * as notifications0001 from './2026-11-23-0006-notifications.js';
import * as records0002 from './2026-11-23-0007-records-change-notify.js';
import * as views0001 from './2026-11-23-0008-saved-views.js';
import * as mail0001 from './2026-11-23-0009-mail-outbox.js';
import * as notifications0002 from './2026-11-23-0010-notifications-notify.js';
import * as automation0001 from './2026-11-23-0011-automation.js';
import * as assignment0001 from './2026-11-23-0012-assignment.js';
import * as automation0002 from './2026-11-23-0013-automation-triggers.js';

/**
 * System-table migrations, one timestamped file per change, prefixed with the
 * owning module's name. Entity tables never appear here: they come from metadata.
 * The list is static (not read from disk) so the compiled server carries it.
 */
export const migrations: Record<string, Migration> = {
  '2026-11-23-0001-core-system-tables': core0001,
  '2026-11-23-0002-metadata-revisions': metadata0001,
  '2026-11-23-0003-records-system-tables': records0001,
  '2026-11-23-0004-access-change-notify': access0001,
  '2026-11-23-0005-auth-token-notify': auth0001,
  '2026-11-23-0006-notifications': notifications0001,
  '2026-11-23-0007-records-change-notify': records0002,
  '2026-11-23-0008-saved-views': views0001,
  '2026-11-23-0009-mail-outbox': mail0001,
  '2026-11-23-0010-notifications-notify': notifications0002,
  '2026-11-23-0011-automation': automation0001,
  '2026-11-23-0012-assignment': assignment0001,
  '2026-11-23-0013-automation-triggers': automation0002,
};

export const SYSTEM_SCHEMA = 'crm';

const provider: MigrationProvider = { getMigrations: async () => migrations };

export async function migrateToLatest(db: Kysely<any>): Promise<string[]> {
  await db.schema.createSchema(SYSTEM_SCHEMA).ifNotExists().execute();
  const migrator = new Migrator({
    db,
    provider,
    migrationTableSchema: SYSTEM_SCHEMA,
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error;
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
