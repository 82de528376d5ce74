import type { Kysely, Migration } from 'kysely';

/** The conference module's tables. Spread into the record of migrations.ts; never edit one that shipped. */
export const conferenceMigrations: Record<string, Migration> = {
  '0200_conference_usage_daily': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('usage_conference_daily')
        .addColumn('app_id', 'varchar(64)', (c) => c.notNull())
        .addColumn('day', 'varchar(10)', (c) => c.notNull())
        .addColumn('participant_ms', 'bigint', (c) => c.notNull().defaultTo(0))
        .addColumn('conferences', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('peak_participants', 'integer', (c) => c.notNull().defaultTo(0))
        .addPrimaryKeyConstraint('usage_conference_daily_pk', ['app_id', 'day'])
        .execute();
    },
    async down(db: Kysely<unknown>) {
      await db.schema.dropTable('usage_conference_daily').execute();
    },
  },
};
