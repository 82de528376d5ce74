import { sql, type Transaction } from 'kysely';
import { compositeKey } from '../composite-key.js';
import type { MessagingOp, MessagingTables } from './messaging-types.js';
import type { Database } from './schema.js';
import type { GroupedRead } from './write-group.js';

// Sends a client retried after a drop: a batch finds which of its client ids are stored already
// and answers those with the first message id, storing nothing twice.

type Trx = Transaction<Database>;

/** Retried-send keys per read: three values each. */
const RETRIED_CHUNK = 300;

/** Client ids of a batch's sends that were stored before, by app, sender and client id. */
export type RetriedSends = Map<string, { msgId: string; recipients: readonly string[] }>;

/** What a batch's caller read with its other reads (messaging-store.ts, several writers). */
export interface PrereadForBatch {
  readonly retried: RetriedSends;
  readonly historyDays: ReadonlyMap<string, number>;
}

/** Which client ids of the batch were already stored (retries after a drop), in reads of RETRIED_CHUNK keys. */
export function retriedSendsReads(trx: Trx, ops: readonly MessagingOp[], into: RetriedSends): GroupedRead[] {
  const keys = new Map<string, [clientId: string, appId: string, sender: string]>();
  for (const op of ops) {
    if (op.kind === 'send' && op.clientId)
      keys.set(compositeKey(op.appId, op.sender, op.clientId), [op.clientId, op.appId, op.sender]);
  }
  const all = [...keys.values()];
  const reads: GroupedRead[] = [];
  for (let i = 0; i < all.length; i += RETRIED_CHUNK) {
    // The whole unique key (messages_client_id): an index lookup per send whatever the table's statistics say
    // (on client_id alone PostgreSQL scanned the table while its statistics were young).
    const chunk = all
      .slice(i, i + RETRIED_CHUNK)
      .map(([clientId, appId, sender]) => sql`(${clientId}, ${appId}, ${sender})`);
    reads.push({
      query: trx
        .selectFrom('messages')
        .select(['app_id', 'sender', 'client_id', 'msg_id', 'recipients'])
        .where(sql<boolean>`(client_id, app_id, sender) in (values ${sql.join(chunk)})`),
      take(rows) {
        for (const row of rows as readonly MessagingTables['messages'][]) {
          into.set(compositeKey(row.app_id, row.sender, row.client_id ?? ''), {
            msgId: row.msg_id,
            recipients: JSON.parse(row.recipients) as string[],
          });
        }
      },
    });
  }
  return reads;
}
