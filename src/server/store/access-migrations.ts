import type { Kysely, Migration } from 'kysely';

/** The app access change feed (access-changes.ts). Spread into the record of migrations.ts; never edit one that shipped. */
export const accessMigrations: Record<string, Migration> = {
  '0600_access_changes': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('access_changes')
        // Numbered by the writer (max + 1 inside its transaction): portable across dialects.
        .addColumn('seq', 'bigint', (c) => c.primaryKey())
        .addColumn('app_id', 'varchar(64)', (c) => c.notNull())
        .addColumn('at', 'bigint', (c) => c.notNull())
        .execute();
    },
    async down(db: Kysely<unknown>) {
      await db.schema.dropTable('access_changes').execute();
    },
  },
};
