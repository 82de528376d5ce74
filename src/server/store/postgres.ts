import { Kysely, PostgresDialect } from 'kysely';
import { KyselyStore } from './kysely-store.js';
import type { Database } from './schema.js';
import type { Store } from './types.js';

export interface PostgresStoreOptions {
  /** Connections this process keeps open at most (default 10). */
  readonly maxConnections?: number;
}

/** Whether a --store value names PostgreSQL. */
export function isPostgresUrl(url: string): boolean {
  return /^postgres(ql)?:\/\//i.test(url);
}

/**
 * The store on PostgreSQL, shared by every server node: migrations run under Kysely's advisory
 * lock (nodes may start together), and messaging commits lock the inboxes they write (writer-lock.ts).
 */
export async function openPostgresStore(url: string, options: PostgresStoreOptions = {}): Promise<Store> {
  // Loaded only here: a server on SQLite never needs the driver.
  const { default: pg } = await import('pg');
  const pool = new pg.Pool({ connectionString: url, max: options.maxConnections ?? 10 });
  // An idle connection that breaks (the database restarted) must not take the process down.
  pool.on('error', () => undefined);
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return KyselyStore.open(db, { writers: 'many' });
}
