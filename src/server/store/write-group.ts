import { sql, type Compilable, type Expression, type Kysely, type Transaction } from 'kysely';
import { jsonArrayFrom } from 'kysely/helpers/postgres';
import type { Database } from './schema.js';

type Trx = Transaction<Database>;
/** A write whose result nobody reads: an INSERT, an upsert or an UPDATE without RETURNING. */
export type Write = Compilable & { execute(): Promise<unknown> };

/**
 * Most writes one statement carries on PostgreSQL: each holds at most 100 rows of at most 13
 * values, and a statement takes at most 65,535 bound values.
 */
const WRITES_PER_STATEMENT = 40;

/**
 * The writes of one messaging commit that nothing later in it reads back. On PostgreSQL they go as
 * one statement of data-modifying WITH parts, one round trip instead of one each (under load each
 * round trip waits for the event loop too, so a commit of a dozen of them was most of a send's
 * acknowledgement time). The parts see one snapshot: no two may touch the same row, and a read of
 * what they wrote waits for `flush`. On SQLite, where a statement costs no round trip, each runs
 * as it comes.
 */
export class WriteGroup {
  private parts: Write[] = [];

  constructor(
    private readonly trx: Trx,
    private readonly combine: boolean,
  ) {}

  async add(write: Write): Promise<void> {
    if (!this.combine) {
      await write.execute();
      return;
    }
    this.parts.push(write);
    if (this.parts.length >= WRITES_PER_STATEMENT) await this.flush();
  }

  /** Sends what waits; after it, the transaction sees every write added so far. */
  async flush(): Promise<void> {
    const parts = this.parts;
    this.parts = [];
    if (parts.length === 0) return;
    if (parts.length === 1) {
      await parts[0]!.execute();
      return;
    }
    // The WITH parts' types mean nothing to the final SELECT: only their effects count.
    let query = this.trx as unknown as { with(name: string, part: () => Write): typeof query };
    parts.forEach((part, i) => (query = query.with(`w${i}`, () => part)));
    await (query as unknown as Trx).selectNoFrom(sql<number>`1`.as('done')).execute();
  }
}

/** A read of a commit whose rows `take` uses; `query` is a SELECT. */
export interface GroupedRead {
  readonly query: Compilable & Expression<unknown> & { execute(): Promise<unknown[]> };
  take(rows: readonly Record<string, unknown>[]): void;
}

/** Bound values one combined read may carry: well under PostgreSQL's 65,535. */
const VALUES_PER_READ = 30_000;

/**
 * Reads that do not depend on each other, made after the commit's locks: on PostgreSQL as one
 * statement (each read's rows as a JSON array: numbers come back as numbers, text as text), on
 * SQLite one after another.
 */
export async function readTogether(
  db: Kysely<Database>,
  combine: boolean,
  reads: readonly GroupedRead[],
): Promise<void> {
  if (!combine) {
    for (const read of reads) read.take((await read.query.execute()) as Record<string, unknown>[]);
    return;
  }
  let group: GroupedRead[] = [];
  let values = 0;
  const run = async () => {
    if (group.length === 0) return;
    const parts = group;
    group = [];
    values = 0;
    const row = (await db
      .selectNoFrom(parts.map((read, i) => jsonArrayFrom(read.query).as(`r${i}`)))
      .executeTakeFirstOrThrow()) as Record<string, Record<string, unknown>[]>;
    parts.forEach((read, i) => read.take(row[`r${i}`] ?? []));
  };
  for (const read of reads) {
    const n = read.query.compile().parameters.length;
    if (values + n > VALUES_PER_READ) await run();
    group.push(read);
    values += n;
  }
  await run();
}
