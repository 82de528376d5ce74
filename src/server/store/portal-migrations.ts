import type { Kysely, Migration } from 'kysely';

/** The developer portal's tables. Spread into the record of migrations.ts; never edit one that shipped. */
export const portalMigrations: Record<string, Migration> = {
  '0300_portal_1_accounts': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('portal_accounts')
        .addColumn('id', 'varchar(32)', (c) => c.primaryKey())
        .addColumn('email', 'varchar(254)', (c) => c.notNull().unique())
        .addColumn('password_hash', 'varchar(256)', (c) => c.notNull())
        .addColumn('role', 'varchar(16)', (c) => c.notNull().defaultTo('developer'))
        .addColumn('verified_at', 'bigint')
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('portal_sessions')
        .addColumn('id_hash', 'varchar(64)', (c) => c.primaryKey())
        .addColumn('account_id', 'varchar(32)', (c) => c.notNull().references('portal_accounts.id').onDelete('cascade'))
        .addColumn('csrf', 'varchar(64)', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('expires_at', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('portal_sessions_account').on('portal_sessions').column('account_id').execute();
      await db.schema
        .createTable('portal_verifications')
        .addColumn('token_hash', 'varchar(64)', (c) => c.primaryKey())
        .addColumn('account_id', 'varchar(32)', (c) => c.notNull().references('portal_accounts.id').onDelete('cascade'))
        .addColumn('expires_at', 'bigint', (c) => c.notNull())
        .execute();
      // Owners live beside apps, so the apps table and its code stay as they are.
      await db.schema
        .createTable('app_owners')
        .addColumn('app_id', 'varchar(64)', (c) => c.primaryKey().references('apps.id').onDelete('cascade'))
        .addColumn('account_id', 'varchar(32)', (c) => c.notNull().references('portal_accounts.id').onDelete('cascade'))
        .execute();
      await db.schema.createIndex('app_owners_account').on('app_owners').column('account_id').execute();
    },
    async down(db: Kysely<unknown>) {
      await db.schema.dropTable('app_owners').execute();
      await db.schema.dropTable('portal_verifications').execute();
      await db.schema.dropTable('portal_sessions').execute();
      await db.schema.dropTable('portal_accounts').execute();
    },
  },
  '0301_portal_2_password_resets': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('portal_password_resets')
        .addColumn('token_hash', 'varchar(64)', (c) => c.primaryKey())
        .addColumn('account_id', 'varchar(32)', (c) => c.notNull().references('portal_accounts.id').onDelete('cascade'))
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('expires_at', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('portal_password_resets_account')
        .on('portal_password_resets')
        .column('account_id')
        .execute();
      // Reclaiming an address asks whether any verification link of an account is still live.
      await db.schema
        .createIndex('portal_verifications_account')
        .on('portal_verifications')
        .column('account_id')
        .execute();
    },
    async down(db: Kysely<unknown>) {
      await db.schema.dropIndex('portal_verifications_account').execute();
      await db.schema.dropTable('portal_password_resets').execute();
    },
  },
};
