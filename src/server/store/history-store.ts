import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { AcknowledgeStateValue, FileInfo, MessageFileRef } from '../../protocol/index.js';
import { dropEmptyConversations } from './conversation-members.js';
import { checkFiles, markSent } from './file-store.js';
import type { Database } from './schema.js';
import { readTogether, type GroupedRead } from './write-group.js';

/** The history table, as Kysely sees it. Times are milliseconds since the epoch. */
export interface HistoryTables {
  /**
   * Each conversation's messages for its app's retention period, apart from the delivery inbox: a
   * row stays when its recipients took their inbox entries, and goes when it is older than the app keeps.
   */
  message_history: {
    app_id: string;
    /** {@link peopleKey} or {@link conferenceKey}. */
    conv: string;
    msg_id: string;
    sender: string;
    /** JSON array of the recipients; `[]` for a call's chat (its readers are whoever is in the call). */
    recipients: string;
    /** Emptied when the sender deletes the message for everyone. */
    body: string;
    created_at: number;
    /**
     * Orders the messages of one millisecond: a send's first inbox number (commit order on its node),
     * or a call chat's count on the room's node.
     */
    seq: number;
    /** When the sender deleted it for everyone; null while it stands. */
    deleted_at: number | null;
    /** JSON of the FileInfo[] the message carries (file-store.ts); null when none, or deleted. */
    files: string | null;
  };
}

/** What became of a call's chat message: not kept (its app keeps no history), kept, or kept without its files (why). */
export type KeptChat = boolean | { readonly filesLeftOut: string };

/** Another message claimed one of the files between the check and the claim: the transaction is undone. */
class FilesTaken extends Error {}

/** The recipients of a call's chat row: nobody by name (its readers are whoever is in the call). */
export const CONFERENCE_RECIPIENTS = '[]';

/** Days of history an app keeps: 30 unless set; 0 keeps none (no row is written). */
export const HISTORY_DAYS = { default: 30, min: 0, max: 3650 } as const;

const RANK_STATES: Readonly<Record<number, AcknowledgeStateValue>> = { 1: 'Delivered', 2: 'Read' };

function hashKey(parts: readonly string[]): string {
  return createHash('sha256').update(JSON.stringify(parts)).digest('base64url');
}

/**
 * The key of a 1:1 or group conversation: its people (the sender and every recipient) as a set,
 * sorted and hashed, so the same people share one history whoever sends, and the key has a fixed
 * length however many they are.
 */
export function peopleKey(sender: string, to: readonly string[]): string {
  return hashKey(['people', ...[...new Set([sender, ...to])].sort()]);
}

/** The key of a conference's in-call chat. */
export function conferenceKey(conf: string): string {
  return hashKey(['conference', conf]);
}

/** Where a page starts: just older than this message. */
export interface HistoryCursor {
  readonly createdAt: number;
  readonly seq: number;
  readonly msgId: string;
}

export interface HistoryRecord {
  readonly msgId: string;
  readonly seq: number;
  readonly from: string;
  readonly body: string;
  readonly createdAt: number;
  readonly deleted: boolean;
  /** See the protocol's HistoryItem: all recipients' on the reader's own messages, the reader's own on the others'. */
  readonly receipts: Readonly<Record<string, AcknowledgeStateValue>>;
  /** The files it carries (file-store.ts). */
  readonly files?: readonly FileInfo[];
}

export interface StoredHistoryMessage {
  readonly conv: string;
  readonly sender: string;
  readonly recipients: readonly string[];
  readonly deletedAt: number | null;
}

export interface HistoryStore {
  /** One page of a conversation, newest first; `more` when older messages remain. */
  page(
    appId: string,
    conv: string,
    reader: string,
    limit: number,
    before?: HistoryCursor,
  ): Promise<{ items: HistoryRecord[]; more: boolean }>;
  /** A kept 1:1 or group message by its id (a call's chat is never deleted, so never found here). */
  find(appId: string, msgId: string): Promise<StoredHistoryMessage | undefined>;
  /**
   * Keeps a call's chat message (a repeat of its id is ignored); false when the app keeps no history.
   * The files it names must be the sender's own uploads to the call, not sent yet: they are then
   * marked sent (no unsent sweep takes them) and its history item carries them; else the message
   * is kept without them, and the answer says why.
   */
  keepConferenceChat(
    appId: string,
    conf: string,
    msgId: string,
    sender: string,
    body: string,
    files?: readonly MessageFileRef[],
  ): Promise<KeptChat>;
  /**
   * Deletes at most `limit` of an app's rows created before `before`, oldest first, and the members
   * of the conversations it emptied; returns how many rows went.
   */
  expire(appId: string, before: number, limit: number): Promise<number>;
  /** Apps that hold history (apps deleted since included). */
  appsWithHistory(): Promise<string[]>;
}

/** Each app's retention in days; an app that is not there (deleted, or a test's) keeps the default. */
export async function historyDaysOf(db: Kysely<Database>, appIds: readonly string[]): Promise<Map<string, number>> {
  const days = new Map<string, number>();
  const read = historyDaysRead(db, appIds, days);
  if (read) await readTogether(db, false, [read]);
  return days;
}

/** The read behind historyDaysOf, to go with others (write-group.ts); `into` gets every app, the default when unknown. */
export function historyDaysRead(
  db: Kysely<Database>,
  appIds: readonly string[],
  into: Map<string, number>,
): GroupedRead | undefined {
  for (const id of appIds) into.set(id, HISTORY_DAYS.default);
  if (appIds.length === 0) return undefined;
  return {
    query: db.selectFrom('apps').select(['id', 'history_days']).where('id', 'in', appIds),
    take(rows) {
      for (const row of rows) into.set(String(row.id), Number(row.history_days));
    },
  };
}

export class KyselyHistoryStore implements HistoryStore {
  /** Call chat messages kept by this process: orders those of one millisecond (one room's are kept in order). */
  private chatCount = 0;

  constructor(private readonly db: Kysely<Database>) {}

  async page(
    appId: string,
    conv: string,
    reader: string,
    limit: number,
    before?: HistoryCursor,
  ): Promise<{ items: HistoryRecord[]; more: boolean }> {
    let query = this.db
      .selectFrom('message_history')
      .select(['msg_id', 'sender', 'body', 'created_at', 'seq', 'deleted_at', 'files'])
      .where('app_id', '=', appId)
      .where('conv', '=', conv);
    if (before) {
      // One row-value comparison, which both engines read as a range of the page index: the same
      // test spelled as ORs made SQLite read and sort the whole conversation (8 ms a page at 100,000).
      query = query.where((eb) =>
        eb(eb.refTuple('created_at', 'seq', 'msg_id'), '<', eb.tuple(before.createdAt, before.seq, before.msgId)),
      );
    }
    const rows = await query
      .orderBy('created_at', 'desc')
      .orderBy('seq', 'desc')
      .orderBy('msg_id', 'desc')
      .limit(limit + 1)
      .execute();
    const more = rows.length > limit;
    const page = rows.slice(0, limit);
    const receipts = await this.receipts(
      appId,
      page.map((r) => r.msg_id),
    );
    const items = page.map((row): HistoryRecord => {
      const states = receipts.get(row.msg_id) ?? {};
      const shown =
        row.sender === reader ? states : states[reader] ? { [reader]: states[reader] } : ({} as typeof states);
      return {
        msgId: row.msg_id,
        seq: Number(row.seq),
        from: row.sender,
        body: row.deleted_at === null ? row.body : '',
        createdAt: Number(row.created_at),
        deleted: row.deleted_at !== null,
        receipts: shown,
        ...(row.files === null || row.deleted_at !== null ? {} : { files: JSON.parse(row.files) as FileInfo[] }),
      };
    });
    return { items, more };
  }

  /** The furthest state of each recipient of these messages, by message. */
  private async receipts(
    appId: string,
    msgIds: readonly string[],
  ): Promise<Map<string, Record<string, AcknowledgeStateValue>>> {
    const byMessage = new Map<string, Record<string, AcknowledgeStateValue>>();
    if (msgIds.length === 0) return byMessage;
    const rows = await this.db
      .selectFrom('message_receipts')
      .select(['msg_id', 'uid', 'rank'])
      .where('app_id', '=', appId)
      .where('msg_id', 'in', msgIds)
      .execute();
    for (const row of rows) {
      const state = RANK_STATES[Number(row.rank)];
      if (!state) continue;
      let states = byMessage.get(row.msg_id);
      if (!states) byMessage.set(row.msg_id, (states = {}));
      states[row.uid] = state;
    }
    return byMessage;
  }

  async find(appId: string, msgId: string): Promise<StoredHistoryMessage | undefined> {
    const row = await this.db
      .selectFrom('message_history')
      .select(['conv', 'sender', 'recipients', 'deleted_at'])
      .where('app_id', '=', appId)
      .where('msg_id', '=', msgId)
      .where('recipients', '<>', CONFERENCE_RECIPIENTS)
      .executeTakeFirst();
    return (
      row && {
        conv: row.conv,
        sender: row.sender,
        recipients: JSON.parse(row.recipients) as string[],
        deletedAt: row.deleted_at === null ? null : Number(row.deleted_at),
      }
    );
  }

  async keepConferenceChat(
    appId: string,
    conf: string,
    msgId: string,
    sender: string,
    body: string,
    files?: readonly MessageFileRef[],
  ): Promise<KeptChat> {
    const days = (await historyDaysOf(this.db, [appId])).get(appId) ?? HISTORY_DAYS.default;
    if (days <= 0) return false;
    const conv = conferenceKey(conf);
    const keep = (refs: readonly MessageFileRef[] | undefined) =>
      this.db.transaction().execute(async (trx): Promise<KeptChat> => {
        const claim = refs && refs.length > 0 ? await checkFiles(trx, appId, sender, conv, refs) : undefined;
        const claimed = claim?.ok ? claim.files : undefined;
        const at = Date.now();
        const inserted = await trx
          .insertInto('message_history')
          .values({
            app_id: appId,
            conv,
            msg_id: msgId,
            sender,
            recipients: CONFERENCE_RECIPIENTS,
            body,
            created_at: at,
            seq: ++this.chatCount,
            deleted_at: null,
            files: claimed ? JSON.stringify(claimed) : null,
          })
          .onConflict((oc) => oc.columns(['app_id', 'conv', 'msg_id']).doNothing())
          .executeTakeFirst();
        // A repeat of the id claims nothing (its first keep did).
        if (claimed && Number(inserted.numInsertedOrUpdatedRows ?? 0) > 0) {
          const ids = new Set(claimed.flatMap((f) => (f.thumb === undefined ? [f.id] : [f.id, f.thumb])));
          if ((await markSent(trx, appId, claimed, msgId, at)) !== ids.size) throw new FilesTaken();
        }
        return claim && !claim.ok ? { filesLeftOut: claim.description } : true;
      });
    try {
      return await keep(files);
    } catch (e) {
      if (!(e instanceof FilesTaken)) throw e;
      await keep(undefined);
      return { filesLeftOut: 'A file it names was sent with another message.' };
    }
  }

  async expire(appId: string, before: number, limit: number): Promise<number> {
    // One bounded statement: the age index finds the oldest ids; a rare id shared by two
    // conversations of the app goes from both (both are past the cut).
    const removed = await this.db
      .deleteFrom('message_history')
      .where('app_id', '=', appId)
      .where('created_at', '<', before)
      .where('msg_id', 'in', (eb) =>
        eb
          .selectFrom('message_history')
          .select('msg_id')
          .where('app_id', '=', appId)
          .where('created_at', '<', before)
          .orderBy('created_at')
          .limit(limit),
      )
      .returning('conv')
      .execute();
    // A conversation no longer kept leaves the lists of its members.
    await dropEmptyConversations(this.db, appId, [...new Set(removed.map((r) => r.conv))]);
    return removed.length;
  }

  async appsWithHistory(): Promise<string[]> {
    const rows = await this.db.selectFrom('message_history').select('app_id').distinct().execute();
    return rows.map((r) => r.app_id);
  }
}
