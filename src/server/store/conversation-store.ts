import type { Kysely } from 'kysely';
import type { Database } from './schema.js';

/** Where a page of a user's conversations starts: just older than this conversation's last message. */
export interface ConversationCursor {
  readonly lastAt: number;
  readonly conv: string;
}

/** One conversation of a user's list, as the store reads it. */
export interface ConversationRecord {
  readonly conv: string;
  /** What the list is ordered by (the newest message's time when the page was read): the next page's cursor. */
  readonly lastAt: number;
  /** Everyone in it, the reader too, sorted. */
  readonly people: readonly string[];
  readonly last: {
    readonly msgId: string;
    readonly from: string;
    readonly body: string;
    readonly createdAt: number;
    readonly deleted: boolean;
    /** The history row as stored (a column another feature adds, such as files, is there). */
    readonly row: Readonly<Record<string, unknown>>;
  };
  /** Messages from the others after the reader's read mark, counted up to `unreadCap`. */
  readonly unread: number;
}

export interface ConversationStore {
  /**
   * One page of the conversations `uid` is in that the history still holds, newest activity first
   * (ties by key); `more` when older ones remain.
   */
  list(
    appId: string,
    uid: string,
    limit: number,
    unreadCap: number,
    before?: ConversationCursor,
  ): Promise<{ items: ConversationRecord[]; more: boolean }>;
}

/**
 * Reads the list from the members table (conversation-members.ts) and the history's page index: the
 * newest message of each of the user's conversations is one index seek, so the list costs what the
 * user's number of conversations does, never their length, and no send updates a row for it.
 */
export class KyselyConversationStore implements ConversationStore {
  constructor(private readonly db: Kysely<Database>) {}

  async list(
    appId: string,
    uid: string,
    limit: number,
    unreadCap: number,
    before?: ConversationCursor,
  ): Promise<{ items: ConversationRecord[]; more: boolean }> {
    const mine = this.db
      .selectFrom('conversation_members as m')
      .select(['m.conv', 'm.people', 'm.read_at', 'm.read_seq'])
      .select((eb) =>
        eb
          .selectFrom('message_history as h')
          .select('h.created_at')
          .whereRef('h.app_id', '=', 'm.app_id')
          .whereRef('h.conv', '=', 'm.conv')
          .orderBy('h.created_at', 'desc')
          .limit(1)
          .as('last_at'),
      )
      .where('m.app_id', '=', appId)
      .where('m.uid', '=', uid);
    let query = this.db.selectFrom(mine.as('t')).selectAll().where('t.last_at', 'is not', null);
    if (before)
      query = query.where((eb) =>
        eb.or([
          eb('t.last_at', '<', before.lastAt),
          eb.and([eb('t.last_at', '=', before.lastAt), eb('t.conv', '<', before.conv)]),
        ]),
      );
    const rows = await query
      .orderBy('t.last_at', 'desc')
      .orderBy('t.conv', 'desc')
      .limit(limit + 1)
      .execute();
    const more = rows.length > limit;
    const items = await Promise.all(
      rows.slice(0, limit).map(async (row): Promise<ConversationRecord | undefined> => {
        const [last, unread] = await Promise.all([
          this.lastMessage(appId, row.conv),
          this.unread(appId, uid, row.conv, Number(row.read_at), Number(row.read_seq), unreadCap),
        ]);
        // Expired between the two reads: left out of this page.
        if (!last) return undefined;
        return {
          conv: row.conv,
          lastAt: Number(row.last_at),
          people: JSON.parse(row.people) as string[],
          last,
          unread,
        };
      }),
    );
    return { items: items.filter((i) => i !== undefined), more };
  }

  private async lastMessage(appId: string, conv: string): Promise<ConversationRecord['last'] | undefined> {
    const row = await this.db
      .selectFrom('message_history')
      .selectAll()
      .where('app_id', '=', appId)
      .where('conv', '=', conv)
      .orderBy('created_at', 'desc')
      .orderBy('seq', 'desc')
      .orderBy('msg_id', 'desc')
      .limit(1)
      .executeTakeFirst();
    if (!row) return undefined;
    const deleted = row.deleted_at !== null;
    return {
      msgId: row.msg_id,
      from: row.sender,
      body: deleted ? '' : row.body,
      createdAt: Number(row.created_at),
      deleted,
      row,
    };
  }

  /** Others' messages after the mark (deleted ones do not count), reading at most `cap` index entries. */
  private async unread(
    appId: string,
    uid: string,
    conv: string,
    readAt: number,
    readSeq: number,
    cap: number,
  ): Promise<number> {
    const newer = this.db
      .selectFrom('message_history')
      .select('msg_id')
      .where('app_id', '=', appId)
      .where('conv', '=', conv)
      .where((eb) =>
        eb.or([eb('created_at', '>', readAt), eb.and([eb('created_at', '=', readAt), eb('seq', '>', readSeq)])]),
      )
      .where('sender', '<>', uid)
      .where('deleted_at', 'is', null)
      .limit(cap);
    const row = await this.db
      .selectFrom(newer.as('n'))
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirst();
    return Number(row?.n ?? 0);
  }
}
