import type { Kysely, Migration } from 'kysely';

/**
 * Conversation history (history-store.ts), apart from the delivery inbox, and each app's retention.
 * Spread into the record of migrations.ts; never edit one that shipped.
 */
export const historyMigrations: Record<string, Migration> = {
  '0910_message_history': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('message_history')
        .addColumn('app_id', 'varchar(64)', (c) => c.notNull())
        .addColumn('conv', 'varchar(64)', (c) => c.notNull())
        .addColumn('msg_id', 'varchar(64)', (c) => c.notNull())
        .addColumn('sender', 'varchar(256)', (c) => c.notNull())
        .addColumn('recipients', 'text', (c) => c.notNull())
        .addColumn('body', 'text', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        // Orders messages of one millisecond: commit order on the node that stored them.
        .addColumn('seq', 'bigint', (c) => c.notNull())
        .addColumn('deleted_at', 'bigint')
        .addPrimaryKeyConstraint('message_history_pk', ['app_id', 'conv', 'msg_id'])
        .execute();
      // Newest first within one conversation, a page at a time from a cursor.
      await db.schema
        .createIndex('message_history_page')
        .on('message_history')
        .columns(['app_id', 'conv', 'created_at', 'seq', 'msg_id'])
        .execute();
      // The retention sweep walks one app's oldest rows; a delete finds a message by its id.
      await db.schema
        .createIndex('message_history_age')
        .on('message_history')
        .columns(['app_id', 'created_at'])
        .execute();
      await db.schema.createIndex('message_history_msg').on('message_history').columns(['app_id', 'msg_id']).execute();
      // Days the app's history is kept; 0 keeps none.
      await db.schema
        .alterTable('apps')
        .addColumn('history_days', 'integer', (c) => c.notNull().defaultTo(30))
        .execute();
    },
    async down(db: Kysely<unknown>) {
      await db.schema.alterTable('apps').dropColumn('history_days').execute();
      await db.schema.dropTable('message_history').execute();
    },
  },
};
