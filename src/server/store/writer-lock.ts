import { PostgresAdapter, sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from './schema.js';

type Db = Kysely<Database> | Transaction<Database> | Kysely<unknown>;

/**
 * Advisory lock keys, one per kind of write that numbers rows or checks totals. Two 32-bit halves:
 * a constant that says "oovoo" and the kind, so they cannot meet another application's keys by chance.
 */
export const WriterLocks = {
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

/**
 * On PostgreSQL: takes a transaction-scoped advisory lock on each key, in the one order every writer
 * uses (so two transactions wanting some of the same keys wait rather than deadlock), then, holding
 * them all, the next value of `sequence`. One round trip. Keys are hashed to 64 bits: two keys that
 * meet on a hash only make their writers wait for each other.
 *
 * It also lets the transaction's COMMIT return before its WAL is flushed (`synchronous_commit` off
 * for this transaction only), so the locks go as soon as the commit is written, not after the fsync:
 * another node's commit to the same inboxes no longer waits for this one's disk. The caller must
 * call `flushCommitted` after COMMIT and before it tells anyone the batch is stored.
 */
export async function lockKeysThenNext(
  trx: Transaction<Database>,
  keys: readonly string[],
  sequence: 'message_inbox_seq',
): Promise<number> {
  const { rows } = await sql<{ next: string }>`WITH locked AS (
      SELECT count(*) AS n FROM (
        SELECT k, pg_advisory_xact_lock(k) FROM (
          SELECT DISTINCT hashtextextended(x, 0) AS k FROM unnest(${[...keys]}::text[]) AS x ORDER BY k
        ) AS ordered
      ) AS taken
    )
    SELECT nextval(${sql.lit(sequence)}) AS next, set_config('synchronous_commit', 'off', true) AS deferred
    FROM locked WHERE n >= 0`.execute(trx);
  return Number(rows[0]!.next);
}

/**
 * Waits until every commit written so far is on disk: a transaction that writes WAL (here a
 * transactional logical-decoding message, which touches no table) commits with the server's own
 * `synchronous_commit` (on, for a durable store) and so flushes the WAL up to its commit record,
 * past every commit written before it. Concurrent flushes share one fsync (PostgreSQL's group
 * commit). One round trip. (A transaction that only takes an id writes no WAL of its own, and
 * PostgreSQL commits it without waiting for the disk.)
 */
export async function flushCommitted(db: Kysely<Database>): Promise<void> {
  await sql`SELECT pg_logical_emit_message(true, 'oovoo-flush', '')`.execute(db);
}
