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
 * meet on a hash only make their writers wait for each other. The locks last until the COMMIT is on
 * disk: a batch is never seen before it is durable (letting them go at COMMIT, before the flush, was
 * tried: a tab on another node then more often read an inbox after another tab's removal of
 * entries it had not yet had; see the README's several nodes).
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
    SELECT nextval(${sql.lit(sequence)}) AS next FROM locked WHERE n >= 0`.execute(trx);
  return Number(rows[0]!.next);
}
