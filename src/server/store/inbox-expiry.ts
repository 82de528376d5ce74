import type { Transaction } from 'kysely';
import type { Database } from './schema.js';

/** An inbox row removed because it waited longer than its app keeps undelivered entries. */
export interface ExpiredEntry {
  readonly uid: string;
  readonly kind: string;
  readonly fromUid: string;
  readonly bytes: number;
}

/**
 * Deletes at most `limit` of an app's pending inbox entries created before `before`, oldest first, and
 * says what went. One bounded statement (the index on app and creation time finds them), so a
 * sweep never holds the database for long.
 */
export async function deleteExpiredEntries(
  trx: Transaction<Database>,
  appId: string,
  before: number,
  limit: number,
): Promise<ExpiredEntry[]> {
  const rows = await trx
    .deleteFrom('message_inbox')
    .where('seq', 'in', (eb) =>
      eb
        .selectFrom('message_inbox')
        .select('seq')
        .where('app_id', '=', appId)
        .where('created_at', '<', before)
        .where('received_at', 'is', null)
        .orderBy('created_at')
        .limit(limit),
    )
    .returning(['uid', 'kind', 'from_uid', 'bytes'])
    .execute();
  return rows.map((r) => ({ uid: r.uid, kind: r.kind, fromUid: r.from_uid, bytes: Number(r.bytes) }));
}
