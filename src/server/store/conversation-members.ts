import type { Kysely, Migration, Transaction } from 'kysely';
import { compositeKey } from '../composite-key.js';
import type { Database } from './schema.js';
import type { WriteGroup } from './write-group.js';

type Trx = Transaction<Database>;

/** Who is in which conversation, for the list of a user's conversations (conversation-store.ts). */
export interface ConversationTables {
  /**
   * One row per member of each 1:1 or group conversation the history holds, written once, with the
   * conversation's first kept send (history-batch.ts), in its transaction; gone with its last kept message.
   */
  conversation_members: {
    app_id: string;
    uid: string;
    /** The history's key (history-store.ts peopleKey). */
    conv: string;
    /** JSON array of everyone in it, the member too, sorted. */
    people: string;
    /** The newest message the member sent Read for, as the history orders them: its created_at and seq (0 before any). */
    read_at: number;
    read_seq: number;
  };
}

/** Spread into the record of migrations.ts; never edit one that shipped. */
export const conversationMigrations: Record<string, Migration> = {
  '0920_conversation_members': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('conversation_members')
        .addColumn('app_id', 'varchar(64)', (c) => c.notNull())
        .addColumn('uid', 'varchar(256)', (c) => c.notNull())
        .addColumn('conv', 'varchar(64)', (c) => c.notNull())
        .addColumn('people', 'text', (c) => c.notNull())
        .addColumn('read_at', 'bigint', (c) => c.notNull().defaultTo(0))
        .addColumn('read_seq', 'bigint', (c) => c.notNull().defaultTo(0))
        // A user's list reads its rows by (app_id, uid); the rest of the key makes a member's row one.
        .addPrimaryKeyConstraint('conversation_members_pk', ['app_id', 'uid', 'conv'])
        .execute();
      // The retention sweep drops the rows of a conversation that emptied.
      await db.schema
        .createIndex('conversation_members_conv')
        .on('conversation_members')
        .columns(['app_id', 'conv'])
        .execute();
      await backfill(db as unknown as Kysely<Database>);
    },
    async down(db: Kysely<unknown>) {
      await db.schema.dropTable('conversation_members').execute();
    },
  },
};

/** The members of the conversations kept before this table existed, a page of history rows at a time. */
async function backfill(db: Kysely<Database>): Promise<void> {
  const seen = new Set<string>();
  let after: { app_id: string; conv: string; msg_id: string } | undefined;
  for (;;) {
    let query = db
      .selectFrom('message_history')
      .select(['app_id', 'conv', 'msg_id', 'sender', 'recipients'])
      .where('recipients', '<>', '[]');
    const from = after;
    if (from)
      query = query.where((eb) =>
        eb(eb.refTuple('app_id', 'conv', 'msg_id'), '>', eb.tuple(from.app_id, from.conv, from.msg_id)),
      );
    const rows = await query.orderBy('app_id').orderBy('conv').orderBy('msg_id').limit(1000).execute();
    if (rows.length === 0) return;
    after = rows.at(-1);
    const members = new MemberRows();
    for (const row of rows) {
      if (seen.has(compositeKey(row.app_id, row.conv))) continue;
      seen.add(compositeKey(row.app_id, row.conv));
      members.add(row.app_id, row.conv, row.sender, JSON.parse(row.recipients) as string[]);
    }
    await members.insert(db);
  }
}

/** Member rows to insert (once: a row that is there stays as it is, its read mark too). */
class MemberRows {
  readonly rows: Database['conversation_members'][] = [];

  add(appId: string, conv: string, sender: string, recipients: readonly string[]): void {
    const people = [...new Set([sender, ...recipients])].sort();
    const json = JSON.stringify(people);
    for (const uid of people) this.rows.push({ app_id: appId, uid, conv, people: json, read_at: 0, read_seq: 0 });
  }

  async insert(db: Kysely<Database> | Trx, writes?: WriteGroup): Promise<void> {
    // In key order: two writers inserting the same rows take their locks in the same order.
    this.rows.sort((a, b) => cmp(a.app_id, b.app_id) || cmp(a.uid, b.uid) || cmp(a.conv, b.conv));
    for (let i = 0; i < this.rows.length; i += 100) {
      const insert = db
        .insertInto('conversation_members')
        .values(this.rows.slice(i, i + 100))
        .onConflict((oc) => oc.columns(['app_id', 'uid', 'conv']).doNothing());
      await (writes ? writes.add(insert) : insert.execute());
    }
  }
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Conversations whose members were written lately, by app and key: a later send to them writes no row. */
const KNOWN_FOR_MS = 10 * 60_000;
const MAX_KNOWN = 100_000;

/**
 * The conversations this process wrote members of, and when: a send to the same people within
 * KNOWN_FOR_MS adds no statement (the messaging hot path). A row can only go when its conversation's
 * history is empty, and a send keeps a message for at least a day (an app keeping none writes no
 * members), so a remembered row is still there; an entry older than that is checked again (one
 * INSERT that does nothing), which also mends a row lost to a retention set to 0 and back.
 */
export class KnownConversations {
  private readonly written = new Map<string, number>();

  has(appId: string, conv: string, now: number): boolean {
    const at = this.written.get(compositeKey(appId, conv));
    return at !== undefined && now - at < KNOWN_FOR_MS;
  }

  add(keys: Iterable<string>, now: number): void {
    for (const k of keys) {
      if (this.written.size >= MAX_KNOWN) this.written.clear();
      this.written.delete(k);
      this.written.set(k, now);
    }
  }

  /** A commit failed or rows were removed: ask the table again. */
  clear(): void {
    this.written.clear();
  }
}

const knownByDb = new WeakMap<object, KnownConversations>();

/** The one record of written conversations per database handle: the retention sweep clears what commits remember. */
export function knownConversations(db: object): KnownConversations {
  let known = knownByDb.get(db);
  if (!known) knownByDb.set(db, (known = new KnownConversations()));
  return known;
}

/** A history row as the members and read marks need it. */
interface SentRow {
  readonly app_id: string;
  readonly conv: string;
  readonly sender: string;
  readonly recipients: string;
}

/**
 * The members and read marks of one commit (history-batch.ts): new conversations' members, and the
 * Read receipts that move a member's mark forward. Written after the commit's history rows.
 */
export class MembersBatch {
  private readonly reads: { appId: string; uid: string; msgId: string }[] = [];
  private readonly written = new Set<string>();

  constructor(private readonly known: KnownConversations | undefined) {}

  /** The reader `uid` sent Read for `msgId`. */
  read(appId: string, uid: string, msgId: string): void {
    this.reads.push({ appId, uid, msgId });
  }

  /** Read marks are read from the history rows of earlier commits, never from `writes` of this one. */
  async write(trx: Trx, kept: readonly SentRow[], writes?: WriteGroup): Promise<void> {
    const now = Date.now();
    const members = new MemberRows();
    for (const row of kept) {
      const k = compositeKey(row.app_id, row.conv);
      if (this.written.has(k) || this.known?.has(row.app_id, row.conv, now)) continue;
      this.written.add(k);
      members.add(row.app_id, row.conv, row.sender, JSON.parse(row.recipients) as string[]);
    }
    await members.insert(trx, writes);
    if (this.reads.length > 0) await this.moveReadMarks(trx, writes);
  }

  /** Call once the transaction is about to commit. */
  committed(): void {
    this.known?.add(this.written, Date.now());
  }

  /** Each reader's mark goes to the newest message it read in each conversation, never back. */
  private async moveReadMarks(trx: Trx, writes?: WriteGroup): Promise<void> {
    const marks = new Map<string, { appId: string; uid: string; conv: string; at: number; seq: number }>();
    const byApp = new Map<string, typeof this.reads>();
    for (const r of this.reads) byApp.set(r.appId, [...(byApp.get(r.appId) ?? []), r]);
    for (const [appId, reads] of byApp) {
      const rows = await trx
        .selectFrom('message_history')
        .select(['msg_id', 'conv', 'created_at', 'seq'])
        .where('app_id', '=', appId)
        .where(
          'msg_id',
          'in',
          reads.map((r) => r.msgId),
        )
        .where('recipients', '<>', '[]')
        .execute();
      for (const read of reads) {
        for (const row of rows.filter((r) => r.msg_id === read.msgId)) {
          const at = Number(row.created_at);
          const seq = Number(row.seq);
          const k = compositeKey(appId, read.uid, row.conv);
          const mark = marks.get(k);
          if (!mark || at > mark.at || (at === mark.at && seq > mark.seq))
            marks.set(k, { appId, uid: read.uid, conv: row.conv, at, seq });
        }
      }
    }
    for (const m of marks.values()) {
      const update = trx
        .updateTable('conversation_members')
        .set({ read_at: m.at, read_seq: m.seq })
        .where('app_id', '=', m.appId)
        .where('uid', '=', m.uid)
        .where('conv', '=', m.conv)
        .where((eb) =>
          eb.or([eb('read_at', '<', m.at), eb.and([eb('read_at', '=', m.at), eb('read_seq', '<', m.seq)])]),
        );
      await (writes ? writes.add(update) : update.execute());
    }
  }
}

/** After a retention sweep removed rows of `convs`: the members of those left empty go. */
export async function dropEmptyConversations(
  db: Kysely<Database>,
  appId: string,
  convs: readonly string[],
): Promise<number> {
  let dropped = 0;
  for (let i = 0; i < convs.length; i += 500) {
    const result = await db
      .deleteFrom('conversation_members')
      .where('app_id', '=', appId)
      .where('conv', 'in', convs.slice(i, i + 500))
      .where(({ not, exists, selectFrom }) =>
        not(
          exists(
            selectFrom('message_history')
              .select('msg_id')
              .whereRef('message_history.app_id', '=', 'conversation_members.app_id')
              .whereRef('message_history.conv', '=', 'conversation_members.conv'),
          ),
        ),
      )
      .executeTakeFirst();
    dropped += Number(result.numDeletedRows);
  }
  if (dropped > 0) knownConversations(db).clear();
  return dropped;
}
