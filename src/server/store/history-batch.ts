import type { Transaction } from 'kysely';
import { CONFERENCE_RECIPIENTS, historyDaysOf, peopleKey, type HistoryTables } from './history-store.js';
import { MembersBatch, type KnownConversations } from './conversation-members.js';
import type { SendOp } from './messaging-types.js';
import type { Database } from './schema.js';
import type { WriteGroup } from './write-group.js';

type Trx = Transaction<Database>;
type HistoryRow = HistoryTables['message_history'];

/** Rows per multi-row INSERT, as the inbox's. */
const INSERT_CHUNK = 100;

/**
 * The history rows of one commit (commit-batch.ts): each stored send adds one, written in the same
 * transaction as its inbox entries, so a message is in the history exactly when it was sent. An app
 * whose retention is 0 days gets none.
 */
export class HistoryBatch {
  private readonly rows: HistoryRow[] = [];
  /** The members of new conversations and the read marks (the list of a user's conversations). */
  private readonly members: MembersBatch;

  /** `days`: each app's retention, when the caller read it already. */
  constructor(
    known?: KnownConversations,
    private readonly days?: ReadonlyMap<string, number>,
  ) {
    this.members = new MembersBatch(known);
  }

  /** `uid` sent Read for `msgId`: its read mark in that conversation moves forward. */
  read(appId: string, uid: string, msgId: string): void {
    this.members.read(appId, uid, msgId);
  }

  /** Call once the transaction is about to commit. */
  committed(): void {
    this.members.committed();
  }

  /** `seq`: the send's first inbox number; `files`: the JSON of the FileInfo[] it carries. */
  add(op: SendOp, seq: number, files: string | null = null): void {
    this.rows.push({
      app_id: op.appId,
      conv: peopleKey(op.sender, op.to),
      msg_id: op.msgId,
      sender: op.sender,
      recipients: JSON.stringify(op.to),
      body: op.body,
      created_at: op.createdAt,
      seq,
      deleted_at: null,
      files,
    });
  }

  async write(trx: Trx, writes: WriteGroup): Promise<void> {
    const days =
      this.days ??
      (this.rows.length ? await historyDaysOf(trx, [...new Set(this.rows.map((r) => r.app_id))]) : undefined);
    const kept = this.rows.filter((r) => (days?.get(r.app_id) ?? 0) > 0);
    for (let i = 0; i < kept.length; i += INSERT_CHUNK) {
      await writes.add(
        trx
          .insertInto('message_history')
          .values(kept.slice(i, i + INSERT_CHUNK))
          .onConflict((oc) => oc.columns(['app_id', 'conv', 'msg_id']).doNothing()),
      );
    }
    await this.members.write(trx, kept, writes);
  }
}

/**
 * Marks a sender's message deleted for everyone and empties its body. `already`: it was deleted
 * before (a retried request: nobody is told again); `absent`: no history row holds it (the app
 * keeps none, or it expired), yet its inbox entries still go.
 */
export async function markDeleted(
  trx: Trx,
  appId: string,
  msgId: string,
  sender: string,
  at: number,
): Promise<'marked' | 'already' | 'absent'> {
  const marked = await trx
    .updateTable('message_history')
    .set({ body: '', deleted_at: at, files: null })
    .where('app_id', '=', appId)
    .where('msg_id', '=', msgId)
    .where('sender', '=', sender)
    .where('recipients', '<>', CONFERENCE_RECIPIENTS)
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
  if (Number(marked.numUpdatedRows) > 0) return 'marked';
  const row = await trx
    .selectFrom('message_history')
    .select('msg_id')
    .where('app_id', '=', appId)
    .where('msg_id', '=', msgId)
    .where('sender', '=', sender)
    .where('recipients', '<>', CONFERENCE_RECIPIENTS)
    .executeTakeFirst();
  return row ? 'already' : 'absent';
}
