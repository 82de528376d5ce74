import { sql, type Kysely, type Migration } from 'kysely';

/** The messaging module's tables. Never edit one that shipped; add a new entry. */
export const messagingMigrations: Record<string, Migration> = {
  '0100_messaging_1_inbox': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('messages')
        .addColumn('app_id', 'varchar(64)', (c) => c.notNull())
        .addColumn('msg_id', 'varchar(64)', (c) => c.notNull())
        .addColumn('sender', 'varchar(256)', (c) => c.notNull())
        .addColumn('client_id', 'varchar(64)')
        .addColumn('recipients', 'text', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addPrimaryKeyConstraint('messages_pk', ['app_id', 'msg_id'])
        .execute();
      // client_id first: one lookup per batch finds every retried send.
      await db.schema
        .createIndex('messages_client_id')
        .unique()
        .on('messages')
        .columns(['client_id', 'app_id', 'sender'])
        .execute();
      await db.schema.createIndex('messages_created').on('messages').column('created_at').execute();

      await db.schema
        .createTable('message_inbox')
        .addColumn('seq', 'bigint', (c) => c.primaryKey())
        .addColumn('app_id', 'varchar(64)', (c) => c.notNull())
        .addColumn('uid', 'varchar(256)', (c) => c.notNull())
        .addColumn('entry_id', 'varchar(400)', (c) => c.notNull())
        .addColumn('kind', 'varchar(16)', (c) => c.notNull())
        .addColumn('msg_id', 'varchar(64)', (c) => c.notNull())
        .addColumn('from_uid', 'varchar(256)', (c) => c.notNull())
        .addColumn('body', 'text')
        .addColumn('state', 'varchar(16)')
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('message_inbox_entry')
        .unique()
        .on('message_inbox')
        .columns(['app_id', 'uid', 'entry_id'])
        .execute();
      await db.schema
        .createIndex('message_inbox_order')
        .on('message_inbox')
        .columns(['app_id', 'uid', 'seq'])
        .execute();
      await db.schema.createIndex('message_inbox_msg').on('message_inbox').column('msg_id').execute();

      await db.schema
        .createTable('message_receipts')
        .addColumn('app_id', 'varchar(64)', (c) => c.notNull())
        .addColumn('msg_id', 'varchar(64)', (c) => c.notNull())
        .addColumn('uid', 'varchar(256)', (c) => c.notNull())
        .addColumn('rank', 'integer', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .addPrimaryKeyConstraint('message_receipts_pk', ['app_id', 'msg_id', 'uid'])
        .execute();

      await db.schema
        .createTable('usage_messaging_daily')
        .addColumn('app_id', 'varchar(64)', (c) => c.notNull())
        .addColumn('day', 'varchar(10)', (c) => c.notNull())
        .addColumn('sent', 'bigint', (c) => c.notNull().defaultTo(0))
        .addColumn('delivered', 'bigint', (c) => c.notNull().defaultTo(0))
        .addColumn('pushes', 'bigint', (c) => c.notNull().defaultTo(0))
        .addPrimaryKeyConstraint('usage_messaging_daily_pk', ['app_id', 'day'])
        .execute();
    },
    async down(db: Kysely<unknown>) {
      await db.schema.dropTable('usage_messaging_daily').execute();
      await db.schema.dropTable('message_receipts').execute();
      await db.schema.dropTable('message_inbox').execute();
      await db.schema.dropTable('messages').execute();
    },
  },
  '0100_messaging_2_push_subscriptions': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('push_subscriptions')
        .addColumn('app_id', 'varchar(64)', (c) => c.notNull())
        .addColumn('endpoint', 'varchar(2048)', (c) => c.notNull())
        .addColumn('uid', 'varchar(256)', (c) => c.notNull())
        .addColumn('kind', 'varchar(16)', (c) => c.notNull())
        .addColumn('p256dh', 'varchar(128)', (c) => c.notNull())
        .addColumn('auth', 'varchar(64)', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addPrimaryKeyConstraint('push_subscriptions_pk', ['app_id', 'endpoint'])
        .execute();
      await db.schema
        .createIndex('push_subscriptions_user')
        .on('push_subscriptions')
        .columns(['app_id', 'uid'])
        .execute();
    },
    async down(db: Kysely<unknown>) {
      await db.schema.dropTable('push_subscriptions').execute();
    },
  },
  // Numbers that never go back: with several writers the next one cannot come from the largest in the
  // inbox, since that entry may have been received and deleted (a connection past it would skip the reuse).
  '0700_messaging_sequence': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('message_sequence')
        .addColumn('id', 'integer', (c) => c.primaryKey())
        .addColumn('next', 'bigint', (c) => c.notNull())
        .execute();
      await sql`INSERT INTO message_sequence (id, next) SELECT 1, COALESCE(MAX(seq), 0) + 1 FROM message_inbox`.execute(
        db,
      );
    },
    async down(db: Kysely<unknown>) {
      await db.schema.dropTable('message_sequence').execute();
    },
  },
};
