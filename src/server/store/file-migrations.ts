import { PostgresAdapter, type Kysely, type Migration } from 'kysely';
import { FileLimits } from '../../protocol/index.js';

/**
 * Files and images in chats (file-store.ts): what is known of each upload, their bytes when the
 * store keeps them (file-blobs.ts), each app's limits, and the files a message carries beside its
 * inbox entries and history row. Spread into the record of migrations.ts; never edit one that shipped.
 */
export const fileMigrations: Record<string, Migration> = {
  '0930_files': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('files')
        .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
        .addColumn('app_id', 'varchar(64)', (c) => c.notNull())
        .addColumn('owner', 'varchar(256)', (c) => c.notNull())
        // The conversation's key (history-store.ts) and who may read it: its people, or a conference id.
        .addColumn('conv', 'varchar(64)', (c) => c.notNull())
        .addColumn('people', 'text')
        .addColumn('conference', 'varchar(256)')
        .addColumn('name', 'varchar(1024)', (c) => c.notNull())
        .addColumn('type', 'varchar(255)', (c) => c.notNull())
        .addColumn('size', 'bigint', (c) => c.notNull())
        .addColumn('sha256', 'varchar(64)', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        // Set by the send that carries it (once): until then the unsent sweep may remove it.
        .addColumn('sent_at', 'bigint')
        .addColumn('msg_id', 'varchar(64)')
        .execute();
      await db.schema.createIndex('files_owner').on('files').columns(['app_id', 'owner']).execute();
      await db.schema.createIndex('files_msg').on('files').columns(['app_id', 'msg_id']).execute();
      await db.schema.createIndex('files_age').on('files').columns(['app_id', 'sent_at', 'created_at']).execute();
      const bytes = db.getExecutor().adapter instanceof PostgresAdapter ? 'bytea' : 'blob';
      await db.schema
        .createTable('file_chunks')
        .addColumn('file_id', 'varchar(64)', (c) => c.notNull())
        .addColumn('n', 'integer', (c) => c.notNull())
        .addColumn('data', bytes, (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addPrimaryKeyConstraint('file_chunks_pk', ['file_id', 'n'])
        .execute();
      await db.schema.createIndex('file_chunks_age').on('file_chunks').columns(['created_at']).execute();
      await db.schema
        .alterTable('apps')
        .addColumn('file_max_bytes', 'bigint', (c) => c.notNull().defaultTo(FileLimits.defaultMaxBytes))
        .execute();
      await db.schema
        .alterTable('apps')
        .addColumn('file_quota_bytes', 'bigint', (c) => c.notNull().defaultTo(FileLimits.defaultUserQuotaBytes))
        .execute();
      // The files a message carries (JSON of FileInfo[]), beside its body; null for most messages.
      await db.schema.alterTable('message_inbox').addColumn('files', 'text').execute();
      await db.schema.alterTable('message_history').addColumn('files', 'text').execute();
    },
    async down(db: Kysely<unknown>) {
      await db.schema.alterTable('message_history').dropColumn('files').execute();
      await db.schema.alterTable('message_inbox').dropColumn('files').execute();
      await db.schema.alterTable('apps').dropColumn('file_quota_bytes').execute();
      await db.schema.alterTable('apps').dropColumn('file_max_bytes').execute();
      await db.schema.dropTable('file_chunks').execute();
      await db.schema.dropTable('files').execute();
    },
  },
};
