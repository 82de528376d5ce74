import type { Kysely, Transaction } from 'kysely';
import type { Database } from './schema.js';
import { lockForWriters, WriterLocks } from './writer-lock.js';

/**
 * Row of `access_changes`: one app whose access changed (blocked or unblocked, deleted, a token
 * revoked). The store writes a row in the same transaction as the change, whichever process makes
 * it (the server, the CLI, another server on the same database), so a running server learns of
 * the change by reading rows past the last sequence number it saw.
 */
export interface AccessChangesTable {
  /** Increasing; the server's cursor. */
  seq: number;
  app_id: string;
  /** Milliseconds since the epoch. */
  at: number;
}

export interface AccessChange {
  readonly seq: number;
  readonly appId: string;
  /** When the change was written, milliseconds since the epoch. */
  readonly at: number;
}

/** What a running server reads: the change feed of app access. */
export interface AccessChangeStore {
  /** The highest sequence number written so far (0 when none). */
  latest(): Promise<number>;
  /** Changes after `seq`, oldest first, at most `limit`. */
  since(seq: number, limit: number): Promise<AccessChange[]>;
}

/** Rows older than this are pruned at the next write; servers poll every second or so. */
const KEEP_MS = 7 * 24 * 3600 * 1000;

/** Writes one change row; called inside the transaction that makes the change, after the change. */
export async function recordAccessChange(trx: Transaction<Database> | Kysely<Database>, appId: string): Promise<void> {
  const now = Date.now();
  // Callers write their change first, so on SQLite this transaction already holds the write lock;
  // on PostgreSQL other nodes may number a change at the same moment.
  await lockForWriters(trx, WriterLocks.accessChanges);
  const last = await trx
    .selectFrom('access_changes')
    .select((eb) => eb.fn.max('seq').as('seq'))
    .executeTakeFirst();
  await trx
    .insertInto('access_changes')
    .values({ seq: Number(last?.seq ?? 0) + 1, app_id: appId, at: now })
    .execute();
  await trx
    .deleteFrom('access_changes')
    .where('at', '<', now - KEEP_MS)
    .execute();
}

/** The Kysely implementation, over the same database as the rest of the store. */
export class KyselyAccessChanges implements AccessChangeStore {
  constructor(private readonly db: Kysely<Database>) {}

  async latest(): Promise<number> {
    const row = await this.db
      .selectFrom('access_changes')
      .select((eb) => eb.fn.max('seq').as('seq'))
      .executeTakeFirst();
    return Number(row?.seq ?? 0);
  }

  async since(seq: number, limit: number): Promise<AccessChange[]> {
    const rows = await this.db
      .selectFrom('access_changes')
      .select(['seq', 'app_id', 'at'])
      .where('seq', '>', seq)
      .orderBy('seq')
      .limit(limit)
      .execute();
    return rows.map((r) => ({ seq: Number(r.seq), appId: r.app_id, at: Number(r.at) }));
  }
}
