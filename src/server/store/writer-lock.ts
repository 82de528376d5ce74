import { PostgresAdapter, sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from './schema.js';

type Db = Kysely<Database> | Transaction<Database> | Kysely<unknown>;

/**
 * Advisory lock keys, one per kind of write that numbers rows or checks totals. Two 32-bit halves:
 * a constant that says "oovoo" and the kind, so they cannot meet another application's keys by chance.
 */
export const WriterLocks = {
  /** Inbox sequence numbers, pending counts and storage quotas of every messaging commit. */
  messaging: 1,
  /** The access change feed's sequence numbers. */
  accessChanges: 2,
} as const;

const OOVOO_LOCK_SPACE = 0x6f6f766f;

/** Whether this Kysely speaks to PostgreSQL (several writers possible) rather than SQLite. */
export function isPostgres(db: Db): boolean {
  return db.getExecutor().adapter instanceof PostgresAdapter;
}

/**
 * Makes the caller's transaction the only writer of its kind until it ends: on PostgreSQL a
 * transaction-scoped advisory lock (released by COMMIT or ROLLBACK, also when a node dies); on
 * SQLite nothing, since a write transaction there already excludes every other writer.
 */
export async function lockForWriters(trx: Transaction<Database> | Kysely<Database>, kind: number): Promise<void> {
  if (!isPostgres(trx)) return;
  await sql`SELECT pg_advisory_xact_lock(${sql.lit(OOVOO_LOCK_SPACE)}, ${sql.lit(kind)})`.execute(trx);
}
