import pg from 'pg';
import { Kysely, PostgresDialect } from 'kysely';

// int8 (bigint, count(*)) as JS numbers when they fit; ids are uuids, so this
// only touches counters and integer fields, which the API bounds to 2^53.
pg.types.setTypeParser(20, (v) => {
  const n = Number(v);
  return Number.isSafeInteger(n) ? n : v;
});
// Dates as the wire's "YYYY-MM-DD", never a JS Date shifted by the process time zone.
pg.types.setTypeParser(1082, (v) => v);

export interface Database {
  pool: pg.Pool;
  db: Kysely<any>;
  connectionString: string;
  close(): Promise<void>;
}

export function openDatabase(connectionString: string, opts: { max?: number; onError?: (err: Error) => void } = {}): Database {
  const pool = new pg.Pool({
    connectionString,
    max: opts.max ?? 20,
    connectionTimeoutMillis: 3_000,
    idleTimeoutMillis: 30_000,
    application_name: 'crm-server',
  });
  // Without these listeners a client dropped by a database restart crashes the process: an idle one emits on the
  // pool, a checked-out one between two queries (inside a transaction, or the automation worker's LISTEN client)
  // on itself. A query in flight still fails with the error; this only keeps the process alive.
  pool.on('error', (err) => opts.onError?.(err));
  pool.on('connect', (client) => client.on('error', (err) => opts.onError?.(err)));
  const db = new Kysely<any>({ dialect: new PostgresDialect({ pool }) });
  return {
    pool,
    db,
    connectionString,
    async close() {
      await db.destroy();
    },
  };
}

const UNAVAILABLE_SQLSTATES = new Set([
  '08000', '08001', '08003', '08004', '08006', // connection exceptions
  '57P01', '57P02', '57P03', // admin/crash shutdown, cannot connect now
  '53300', // too many connections
]);
const UNAVAILABLE_NODE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN']);

/** Whether an error means "the database cannot be reached right now" (-> 503), not a bad query. */
export function isDatabaseUnavailable(err: unknown): boolean {
  if (!err || typeof err !== 'object') return false;
  const e = err as { code?: unknown; message?: unknown; errors?: unknown };
  if (typeof e.code === 'string' && (UNAVAILABLE_SQLSTATES.has(e.code) || UNAVAILABLE_NODE_CODES.has(e.code))) return true;
  if (Array.isArray(e.errors) && e.errors.some(isDatabaseUnavailable)) return true; // AggregateError (IPv4+IPv6 attempts)
  const msg = typeof e.message === 'string' ? e.message : '';
  return /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error/i.test(msg);
}
