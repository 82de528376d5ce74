import { sql, type Kysely, type Migration } from 'kysely';
import type { Database } from './schema.js';

/**
 * Entries a client took stay in the inbox for a short while, marked with when they were taken.
 * A user's tabs may sit on two nodes: the tab on the committing node takes an entry at once, and
 * its receipt would remove the entry before the other node, rung over the bus, reads the inbox.
 * Kept, the entry still reaches every connection that was open before it was taken; it no longer
 * counts as pending (limits, quotas, expiry) and the sweep below deletes it.
 * Spread into the record of migrations.ts; never edit one that shipped.
 */
export const inboxReceivedMigrations: Record<string, Migration> = {
  '0940_inbox_received': {
    async up(db: Kysely<unknown>) {
      await db.schema.alterTable('message_inbox').addColumn('received_at', 'bigint').execute();
      await db.schema
        .createIndex('message_inbox_received')
        .on('message_inbox')
        .column('received_at')
        .where('received_at', 'is not', null)
        .execute();
    },
    async down(db: Kysely<unknown>) {
      await db.schema.dropIndex('message_inbox_received').execute();
      await db.schema.alterTable('message_inbox').dropColumn('received_at').execute();
    },
  },
  // A commit counts each recipient's pending entries (the inbox limit): with taken entries kept a
  // minute, the other indexes visit every one of them (PostgreSQL planned a scan of the app's whole
  // inbox for it, 5 ms a batch); this one holds only what is still pending.
  '0950_inbox_pending': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createIndex('message_inbox_pending')
        .on('message_inbox')
        .columns(['app_id', 'uid'])
        .where(sql.ref('received_at'), 'is', null)
        .execute();
    },
    async down(db: Kysely<unknown>) {
      await db.schema.dropIndex('message_inbox_pending').execute();
    },
  },
};

/** Deletes at most `limit` entries taken before `before`; resolves with how many went. Nothing to account: the taking did. */
export async function deleteReceivedEntries(db: Kysely<Database>, before: number, limit: number): Promise<number> {
  const result = await db
    .deleteFrom('message_inbox')
    .where('seq', 'in', (eb) =>
      eb.selectFrom('message_inbox').select('seq').where('received_at', '<', before).limit(limit),
    )
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
