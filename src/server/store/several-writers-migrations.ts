import { sql, type Kysely, type Migration } from 'kysely';
import { isPostgres } from './writer-lock.js';

/** How many inbox numbers one nextval of `message_inbox_seq` reserves: more than the entries of any batch. */
export const SEQ_BLOCK = 1 << 20;

/** Rebuilds a running-total table with a `shard` column in its primary key (SQLite cannot alter a key). */
async function addShard(
  db: Kysely<unknown>,
  table: string,
  columns: { name: string; type: 'varchar(64)' | 'varchar(256)' | 'varchar(10)' | 'bigint' }[],
  key: string[],
): Promise<void> {
  const next = `${table}_sharded`;
  let create = db.schema.createTable(next);
  for (const c of columns) create = create.addColumn(c.name, c.type, (b) => b.notNull());
  await create
    .addColumn('shard', 'integer', (b) => b.notNull().defaultTo(0))
    .addPrimaryKeyConstraint(`${next}_pk`, [...key, 'shard'] as never)
    .execute();
  const names = sql.join(columns.map((c) => sql.ref(c.name)));
  await sql`INSERT INTO ${sql.table(next)} (${names}, shard) SELECT ${names}, 0 FROM ${sql.table(table)}`.execute(db);
  await db.schema.dropTable(table).execute();
  await db.schema.alterTable(next).renameTo(table).execute();
}

/**
 * Several nodes writing one PostgreSQL store without a lock over every commit (messaging-store.ts):
 * inbox numbers come from a sequence in blocks, and the running totals every commit moves are split
 * in shards, so two commits rarely wait on one row.
 * Spread into the record of migrations.ts; never edit one that shipped.
 */
export const severalWritersMigrations: Record<string, Migration> = {
  '0900_messaging_several_writers': {
    async up(db: Kysely<unknown>) {
      if (isPostgres(db)) {
        const row = await sql<{ start: string }>`SELECT GREATEST(
            (SELECT COALESCE(MAX(next), 1) FROM message_sequence),
            (SELECT COALESCE(MAX(seq), 0) + 1 FROM message_inbox)) AS start`.execute(db);
        const start = Number(row.rows[0]?.start ?? 1);
        await sql`CREATE SEQUENCE message_inbox_seq INCREMENT BY ${sql.lit(SEQ_BLOCK)} START WITH ${sql.lit(start)}`.execute(
          db,
        );
      }
      await db.schema.dropTable('message_sequence').execute();
      await addShard(
        db,
        'inbox_storage_by_sender',
        [
          { name: 'app_id', type: 'varchar(64)' },
          { name: 'sender', type: 'varchar(256)' },
          { name: 'bytes', type: 'bigint' },
        ],
        ['app_id', 'sender'],
      );
      await addShard(
        db,
        'inbox_storage_by_app',
        [
          { name: 'app_id', type: 'varchar(64)' },
          { name: 'bytes', type: 'bigint' },
        ],
        ['app_id'],
      );
      await addShard(
        db,
        'usage_messaging_daily',
        [
          { name: 'app_id', type: 'varchar(64)' },
          { name: 'day', type: 'varchar(10)' },
          { name: 'sent', type: 'bigint' },
          { name: 'delivered', type: 'bigint' },
          { name: 'pushes', type: 'bigint' },
        ],
        ['app_id', 'day'],
      );
    },
  },
};
