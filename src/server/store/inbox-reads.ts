import type { Kysely } from 'kysely';
import type { AcknowledgeStateValue, FileInfo } from '../../protocol/index.js';
import type { InboxEntry, MessagingTables } from './messaging-types.js';
import type { Database } from './schema.js';

// The messaging store's reads outside a commit: a connection's pending entries, counts, a stored
// message, and the sweep of messages nothing refers to any more.

function toEntry(row: MessagingTables['message_inbox']): InboxEntry {
  const base = {
    seq: Number(row.seq),
    id: row.entry_id,
    msgId: row.msg_id,
    from: row.from_uid,
    createdAt: Number(row.created_at),
  };
  if (row.kind === 'deleted') return { ...base, kind: 'deleted' };
  return row.kind === 'receipt'
    ? { ...base, kind: 'receipt', state: row.state as AcknowledgeStateValue }
    : {
        ...base,
        kind: 'message',
        body: row.body ?? '',
        ...(row.files === null ? {} : { files: JSON.parse(row.files) as FileInfo[] }),
      };
}

/** A page of a user's entries after `afterSeq`: pending ones, and ones taken at or after `takenSince`. */
export async function pendingEntries(
  db: Kysely<Database>,
  appId: string,
  uid: string,
  afterSeq: number,
  limit: number,
  takenSince = Number.MAX_SAFE_INTEGER,
): Promise<InboxEntry[]> {
  const rows = await db
    .selectFrom('message_inbox')
    .selectAll()
    .where('app_id', '=', appId)
    .where('uid', '=', uid)
    .where('seq', '>', afterSeq)
    .where((eb) => eb.or([eb('received_at', 'is', null), eb('received_at', '>=', takenSince)]))
    .orderBy('seq')
    .limit(limit)
    .execute();
  return rows.map(toEntry);
}

/** How many entries the user has not taken yet. */
export async function countPending(db: Kysely<Database>, appId: string, uid: string): Promise<number> {
  const row = await db
    .selectFrom('message_inbox')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('app_id', '=', appId)
    .where('uid', '=', uid)
    .where('received_at', 'is', null)
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

/** A stored message's sender, recipients and client id. */
export async function storedMessage(
  db: Kysely<Database>,
  appId: string,
  msgId: string,
): Promise<{ sender: string; recipients: string[]; clientId: string | null } | undefined> {
  const row = await db
    .selectFrom('messages')
    .select(['sender', 'recipients', 'client_id'])
    .where('app_id', '=', appId)
    .where('msg_id', '=', msgId)
    .executeTakeFirst();
  return row && { sender: row.sender, recipients: JSON.parse(row.recipients) as string[], clientId: row.client_id };
}

export async function countMessages(db: Kysely<Database>, appId: string): Promise<number> {
  const row = await db
    .selectFrom('messages')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('app_id', '=', appId)
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

/** Deletes messages older than `before` that no pending entry needs, then receipts nothing needs. */
export async function sweepMessages(db: Kysely<Database>, before: number): Promise<number> {
  const result = await db
    .deleteFrom('messages')
    .where('created_at', '<', before)
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('message_inbox')
            .select('seq')
            .whereRef('message_inbox.msg_id', '=', 'messages.msg_id')
            // An entry already taken no longer needs its message (dedupe, receipts' checks).
            .where('received_at', 'is', null),
        ),
      ),
    )
    .executeTakeFirst();
  await db
    .deleteFrom('message_receipts')
    .where('updated_at', '<', before)
    .where(({ not, exists, selectFrom }) =>
      not(exists(selectFrom('messages').select('msg_id').whereRef('messages.msg_id', '=', 'message_receipts.msg_id'))),
    )
    // A message still in its conversation's history keeps its receipts (shown with it).
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('message_history')
            .select('msg_id')
            .whereRef('message_history.app_id', '=', 'message_receipts.app_id')
            .whereRef('message_history.msg_id', '=', 'message_receipts.msg_id'),
        ),
      ),
    )
    .execute();
  return Number(result.numDeletedRows);
}
