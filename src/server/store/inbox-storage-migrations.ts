import { sql, type Kysely, type Migration } from 'kysely';
import { ENTRY_OVERHEAD_BYTES } from './inbox-storage.js';
import { isPostgres } from './writer-lock.js';

/**
 * Storage quotas and expiry of undelivered inbox entries (inbox-storage.ts, inbox-expiry.ts).
 * Spread into the record of migrations.ts; never edit one that shipped.
 */
export const inboxStorageMigrations: Record<string, Migration> = {
  '0110_inbox_storage_1_quota_and_expiry': {
    async up(db: Kysely<unknown>) {
      // What each entry was charged when stored, so a removal frees exactly that much.
      await db.schema
        .alterTable('message_inbox')
        .addColumn('bytes', 'integer', (c) => c.notNull().defaultTo(0))
        .execute();
      // Bytes of the UTF-8 body: SQLite counts a BLOB's length, PostgreSQL has octet_length.
      const bodyBytes = isPostgres(db) ? sql`octet_length(body)` : sql`length(CAST(body AS BLOB))`;
      await sql`UPDATE message_inbox SET bytes = ${bodyBytes} + ${sql.lit(ENTRY_OVERHEAD_BYTES)} WHERE kind = 'message'`.execute(
        db,
      );
      // The expiry sweep walks one app's oldest entries.
      await db.schema.createIndex('message_inbox_age').on('message_inbox').columns(['app_id', 'created_at']).execute();

      // Running totals of undelivered message bytes, kept in the same transaction as the entries.
      await db.schema
        .createTable('inbox_storage_by_sender')
        .addColumn('app_id', 'varchar(64)', (c) => c.notNull())
        .addColumn('sender', 'varchar(256)', (c) => c.notNull())
        .addColumn('bytes', 'bigint', (c) => c.notNull())
        .addPrimaryKeyConstraint('inbox_storage_by_sender_pk', ['app_id', 'sender'])
        .execute();
      await db.schema
        .createTable('inbox_storage_by_app')
        .addColumn('app_id', 'varchar(64)', (c) => c.primaryKey())
        .addColumn('bytes', 'bigint', (c) => c.notNull())
        .execute();
      await sql`INSERT INTO inbox_storage_by_sender (app_id, sender, bytes)
        SELECT app_id, from_uid, SUM(bytes) FROM message_inbox WHERE kind = 'message' GROUP BY app_id, from_uid`.execute(
        db,
      );
      await sql`INSERT INTO inbox_storage_by_app (app_id, bytes)
        SELECT app_id, SUM(bytes) FROM message_inbox WHERE kind = 'message' GROUP BY app_id`.execute(db);

      // Days an undelivered entry of this app is kept; null: the server's default.
      await db.schema.alterTable('apps').addColumn('message_ttl_days', 'integer').execute();
    },
    async down(db: Kysely<unknown>) {
      await db.schema.alterTable('apps').dropColumn('message_ttl_days').execute();
      await db.schema.dropTable('inbox_storage_by_app').execute();
      await db.schema.dropTable('inbox_storage_by_sender').execute();
      await db.schema.dropIndex('message_inbox_age').execute();
      await db.schema.alterTable('message_inbox').dropColumn('bytes').execute();
    },
  },
};
