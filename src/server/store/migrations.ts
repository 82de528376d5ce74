import type { Kysely, Migration, MigrationProvider } from 'kysely';
import { accessMigrations } from './access-migrations.js';
import { conferenceMigrations } from './conference-migrations.js';
import { conversationMigrations } from './conversation-members.js';
import { fileMigrations } from './file-migrations.js';
import { historyMigrations } from './history-migrations.js';
import { inboxReceivedMigrations } from './inbox-received.js';
import { inboxStorageMigrations } from './inbox-storage-migrations.js';
import { messagingMigrations } from './messaging-migrations.js';
import { portalMigrations } from './portal-migrations.js';
import { pushCredentialMigrations } from './push-credential-store.js';
import { severalWritersMigrations } from './several-writers-migrations.js';

/** Migrations in code, so the bundled server needs no migration folder on disk. Never edit one that shipped. */
const migrations: Record<string, Migration> = {
  ...conferenceMigrations,
  ...messagingMigrations,
  ...inboxStorageMigrations,
  ...portalMigrations,
  ...accessMigrations,
  ...pushCredentialMigrations,
  ...severalWritersMigrations,
  ...historyMigrations,
  ...fileMigrations,
  ...conversationMigrations,
  ...inboxReceivedMigrations,
  '0001_apps_and_tokens': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('apps')
        .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
        .addColumn('name', 'varchar(200)', (c) => c.notNull())
        .addColumn('domains', 'text', (c) => c.notNull())
        .addColumn('blocked', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('client_login', 'varchar(16)', (c) => c.notNull().defaultTo('all'))
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('app_tokens')
        .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
        .addColumn('app_id', 'varchar(64)', (c) => c.notNull().references('apps.id').onDelete('cascade'))
        .addColumn('type', 'varchar(16)', (c) => c.notNull())
        .addColumn('environment', 'varchar(16)', (c) => c.notNull())
        .addColumn('hash', 'varchar(128)', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('revoked_at', 'bigint')
        .execute();
      await db.schema.createIndex('app_tokens_app').on('app_tokens').column('app_id').execute();
      await db.schema
        .createTable('settings')
        .addColumn('key', 'varchar(128)', (c) => c.primaryKey())
        .addColumn('value', 'text', (c) => c.notNull())
        .execute();
    },
    async down(db: Kysely<unknown>) {
      await db.schema.dropTable('settings').execute();
      await db.schema.dropTable('app_tokens').execute();
      await db.schema.dropTable('apps').execute();
    },
  },
};

export const migrationProvider: MigrationProvider = {
  getMigrations: async () => migrations,
};
