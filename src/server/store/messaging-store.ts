import type { Kysely, Transaction } from 'kysely';
import type { AcknowledgeStateValue } from '../../protocol/index.js';
import { compositeKey } from '../composite-key.js';
import { utcDay } from '../utc-day.js';
import { CommitBatch } from './commit-batch.js';
import { deleteExpiredEntries } from './inbox-expiry.js';
import { InboxStorageLedger, PREFETCH_CHUNK } from './inbox-storage.js';
import { addMessagingUsage, listMessagingUsage } from './messaging-usage.js';
import type {
  CommitLimits,
  InboxEntry,
  MessagingCommit,
  MessagingOp,
  MessagingStore,
  MessagingTables,
  MessagingUsageDay,
} from './messaging-types.js';
import type { Database } from './schema.js';
import { lockForWriters, WriterLocks } from './writer-lock.js';

type Db = Kysely<Database>;
type Trx = Transaction<Database>;
type InboxRow = MessagingTables['message_inbox'];

/** Cached pending counts kept before the cache starts over (it is refilled from the table). */
const MAX_CACHED_COUNTS = 200_000;

function toEntry(row: InboxRow): InboxEntry {
  const base = {
    seq: Number(row.seq),
    id: row.entry_id,
    msgId: row.msg_id,
    from: row.from_uid,
    createdAt: Number(row.created_at),
  };
  return row.kind === 'receipt'
    ? { ...base, kind: 'receipt', state: row.state as AcknowledgeStateValue }
    : { ...base, kind: 'message', body: row.body ?? '' };
}

/**
 * Messaging over Kysely. The store numbers inbox entries itself, so one transaction can insert many
 * rows at once. With one writer (SQLite) it keeps the next number and each recipient's pending count
 * in memory. With several (PostgreSQL nodes) each commit takes the messaging writer lock and reads
 * them from the tables, so numbers never collide and quotas hold across nodes; one lock per batch
 * rather than per recipient, since every send also moves its app's storage total (measured: see
 * the README's PostgreSQL paragraph).
 */
export class KyselyMessagingStore implements MessagingStore {
  private nextSeq: number | undefined;
  private readonly counts = new Map<string, number>();
  /** Bytes of undelivered messages per sender and app (the storage quotas). */
  private readonly storage: InboxStorageLedger;

  constructor(
    private readonly db: Db,
    private readonly writers: 'one' | 'many' = 'one',
  ) {
    this.storage = new InboxStorageLedger(db);
  }

  /**
   * With several writers: waits for the writer lock, then forgets what other nodes may have changed
   * since this process last held it. The caches hold only while the lock is held.
   */
  private async exclusive(trx: Trx, ops: readonly MessagingOp[]): Promise<void> {
    if (this.writers === 'one') return;
    await lockForWriters(trx, WriterLocks.messaging);
    this.forgetCaches();
    await this.prefetch(trx, ops);
  }

  /**
   * Under the lock, reads what the batch's sends will check (their recipients' pending counts, their
   * senders' and app's stored bytes) in a few queries rather than one per recipient and sender: the
   * lock is held until the commit, so every query in it delays the other nodes' commits.
   */
  private async prefetch(trx: Trx, ops: readonly MessagingOp[]): Promise<void> {
    const byApp = new Map<string, { recipients: Set<string>; senders: Set<string> }>();
    for (const op of ops) {
      if (op.kind !== 'send') continue;
      let app = byApp.get(op.appId);
      if (!app) byApp.set(op.appId, (app = { recipients: new Set(), senders: new Set() }));
      app.senders.add(op.sender);
      for (const uid of op.to) app.recipients.add(uid);
    }
    for (const [appId, { recipients, senders }] of byApp) {
      const uids = [...recipients];
      for (let i = 0; i < uids.length; i += PREFETCH_CHUNK) {
        const chunk = uids.slice(i, i + PREFETCH_CHUNK);
        const rows = await trx
          .selectFrom('message_inbox')
          .select(['uid', (eb) => eb.fn.countAll<number>().as('n')])
          .where('app_id', '=', appId)
          .where('uid', 'in', chunk)
          .groupBy('uid')
          .execute();
        if (this.counts.size + chunk.length >= MAX_CACHED_COUNTS) this.counts.clear();
        for (const uid of chunk) this.counts.set(compositeKey(appId, uid), 0);
        for (const row of rows) this.counts.set(compositeKey(appId, row.uid), Number(row.n));
      }
      await this.storage.prefetch(trx, appId, [...senders]);
    }
  }

  async commit(ops: readonly MessagingOp[], limits: CommitLimits): Promise<MessagingCommit> {
    return this.db
      .transaction()
      .execute(async (trx) => {
        await this.exclusive(trx, ops);
        const storage = this.storage.begin(trx);
        const first = this.nextSeq ?? (await this.firstSeq(trx));
        const batch = new CommitBatch(trx, first, limits, storage, (app, uid) => this.count(trx, app, uid));
        const results = await batch.apply(ops);
        await batch.write();
        if (this.writers === 'many' && batch.seq !== first)
          await trx.updateTable('message_sequence').set({ next: batch.seq }).where('id', '=', 1).execute();
        await storage.write();
        // Only now is it certain the transaction will commit (COMMIT itself can still fail; then the caches are reloaded).
        this.nextSeq = batch.seq;
        this.applyCountDeltas(batch.countDeltas);
        this.storage.applied(storage);
        return { results, deliveries: batch.deliveries };
      })
      .catch((e: unknown) => {
        this.forgetCaches();
        throw e;
      });
  }

  /** Moves cached pending counts; one not cached is read from the table when next needed. */
  private applyCountDeltas(deltas: ReadonlyMap<string, number>): void {
    for (const [k, delta] of deltas) {
      const cached = this.counts.get(k);
      if (cached !== undefined) this.counts.set(k, cached + delta);
    }
  }

  private forgetCaches(): void {
    this.nextSeq = undefined;
    this.counts.clear();
    this.storage.forget();
  }

  async expire(appId: string, before: number, limit: number): Promise<number> {
    return this.db
      .transaction()
      .execute(async (trx) => {
        // Under the lock too: it moves the totals commits check.
        await this.exclusive(trx, []);
        const removed = await deleteExpiredEntries(trx, appId, before, limit);
        const storage = this.storage.begin(trx);
        const countDeltas = new Map<string, number>();
        for (const entry of removed) {
          const k = compositeKey(appId, entry.uid);
          countDeltas.set(k, (countDeltas.get(k) ?? 0) - 1);
          if (entry.kind === 'message') storage.remove(appId, entry.fromUid, entry.bytes);
        }
        await storage.write();
        this.applyCountDeltas(countDeltas);
        this.storage.applied(storage);
        return removed.length;
      })
      .catch((e: unknown) => {
        this.forgetCaches();
        throw e;
      });
  }

  storedBytes(appId: string, sender?: string): Promise<number> {
    return this.storage.stored(appId, sender);
  }

  appsWithStoredMessages(): Promise<string[]> {
    return this.storage.appsWithStoredMessages();
  }

  /**
   * The next inbox number. The single writer starts past the largest stored one; several writers
   * read the shared counter (under the lock), since entries past a stored one may have been deleted.
   */
  private async firstSeq(trx: Trx): Promise<number> {
    if (this.writers === 'many') {
      const row = await trx.selectFrom('message_sequence').select('next').where('id', '=', 1).executeTakeFirst();
      if (row) return Number(row.next);
    }
    const row = await trx
      .selectFrom('message_inbox')
      .select((eb) => eb.fn.max('seq').as('m'))
      .executeTakeFirst();
    return Number(row?.m ?? 0) + 1;
  }

  private async count(trx: Trx, appId: string, uid: string): Promise<number> {
    const k = compositeKey(appId, uid);
    const cached = this.counts.get(k);
    if (cached !== undefined) return cached;
    const row = await trx
      .selectFrom('message_inbox')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('app_id', '=', appId)
      .where('uid', '=', uid)
      .executeTakeFirst();
    if (this.counts.size >= MAX_CACHED_COUNTS) this.counts.clear();
    const n = Number(row?.n ?? 0);
    this.counts.set(k, n);
    return n;
  }

  async pending(appId: string, uid: string, afterSeq: number, limit: number): Promise<InboxEntry[]> {
    const rows = await this.db
      .selectFrom('message_inbox')
      .selectAll()
      .where('app_id', '=', appId)
      .where('uid', '=', uid)
      .where('seq', '>', afterSeq)
      .orderBy('seq')
      .limit(limit)
      .execute();
    return rows.map(toEntry);
  }

  async pendingCount(appId: string, uid: string): Promise<number> {
    const row = await this.db
      .selectFrom('message_inbox')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('app_id', '=', appId)
      .where('uid', '=', uid)
      .executeTakeFirst();
    return Number(row?.n ?? 0);
  }

  async getMessage(
    appId: string,
    msgId: string,
  ): Promise<{ sender: string; recipients: string[]; clientId: string | null } | undefined> {
    const row = await this.db
      .selectFrom('messages')
      .select(['sender', 'recipients', 'client_id'])
      .where('app_id', '=', appId)
      .where('msg_id', '=', msgId)
      .executeTakeFirst();
    return row && { sender: row.sender, recipients: JSON.parse(row.recipients) as string[], clientId: row.client_id };
  }

  async countMessages(appId: string): Promise<number> {
    const row = await this.db
      .selectFrom('messages')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('app_id', '=', appId)
      .executeTakeFirst();
    return Number(row?.n ?? 0);
  }

  async sweep(before: number): Promise<number> {
    const result = await this.db
      .deleteFrom('messages')
      .where('created_at', '<', before)
      .where(({ not, exists, selectFrom }) =>
        not(exists(selectFrom('message_inbox').select('seq').whereRef('message_inbox.msg_id', '=', 'messages.msg_id'))),
      )
      .executeTakeFirst();
    await this.db
      .deleteFrom('message_receipts')
      .where('updated_at', '<', before)
      .where(({ not, exists, selectFrom }) =>
        not(
          exists(selectFrom('messages').select('msg_id').whereRef('messages.msg_id', '=', 'message_receipts.msg_id')),
        ),
      )
      .execute();
    return Number(result.numDeletedRows);
  }

  async addPushes(appId: string, count: number, at: number): Promise<void> {
    if (count <= 0) return;
    await addMessagingUsage(this.db, appId, utcDay(at), { sent: 0, delivered: 0, pushes: count });
  }

  usage(appId: string): Promise<MessagingUsageDay[]> {
    return listMessagingUsage(this.db, appId);
  }
}
