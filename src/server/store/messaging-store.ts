import { randomInt } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import { compositeKey } from '../composite-key.js';
import { utcDay } from '../utc-day.js';
import { CommitBatch } from './commit-batch.js';
import { retriedSendsReads, type PrereadForBatch, type RetriedSends } from './retried-sends.js';
import { knownConversations, type KnownConversations } from './conversation-members.js';
import { deleteExpiredEntries } from './inbox-expiry.js';
import { deleteReceivedEntries } from './inbox-received.js';
import { InboxStorageLedger, PREFETCH_CHUNK } from './inbox-storage.js';
import { addMessagingUsage, listMessagingUsage } from './messaging-usage.js';
import type {
  CommitLimits,
  InboxEntry,
  MessagingCommit,
  MessagingOp,
  MessagingStore,
  MessagingUsageDay,
} from './messaging-types.js';
import type { Database } from './schema.js';
import { SEQ_BLOCK } from './several-writers-migrations.js';
import { readTogether, type GroupedRead } from './write-group.js';
import { countMessages, countPending, pendingEntries, storedMessage, sweepMessages } from './inbox-reads.js';
import { historyDaysRead } from './history-store.js';
import { flushCommitted, isPostgres, lockKeysThenNext } from './writer-lock.js';

type Db = Kysely<Database>;
type Trx = Transaction<Database>;

/** Cached pending counts kept before the cache starts over (it is refilled from the table). */
const MAX_CACHED_COUNTS = 200_000;

/**
 * What a batch must hold alone until it commits: each inbox it adds entries to (so numbers follow
 * commit order in every inbox, and its pending count is exact) and each sender it stores for (the
 * sender's storage quota, retried sends).
 */
function batchKeys(ops: readonly MessagingOp[]): string[] {
  const keys = new Set<string>();
  for (const op of ops) {
    if (op.kind === 'remove') continue;
    if (op.kind === 'send') keys.add(JSON.stringify(['sender', op.appId, op.sender]));
    for (const uid of op.to) keys.add(JSON.stringify(['inbox', op.appId, uid]));
  }
  return [...keys];
}

/** What a commit's checks read once: pending counts per recipient, stored bytes per sender and app. */
interface CommitCaches {
  readonly counts: Map<string, number>;
  readonly storage: InboxStorageLedger;
}

/** Shards of the running totals on a shared store: two commits pick the same one 1 time in 16. */
const SHARDS = 16;
/** Attempts of a shared-store commit that PostgreSQL ended for a deadlock or a serialization failure. */
const MAX_ATTEMPTS = 4;

/** PostgreSQL's deadlock_detected and serialization_failure: nothing was stored, the batch may run again. */
function isRetryable(e: unknown): boolean {
  const code = (e as { code?: unknown } | null)?.code;
  return code === '40P01' || code === '40001';
}

/**
 * Messaging over Kysely. The store numbers inbox entries itself, so one transaction can insert many
 * rows at once. With one writer (SQLite) it keeps the next number and each recipient's pending count
 * in memory. With several (PostgreSQL nodes) a commit first locks the inboxes it adds to and the
 * senders it stores for (advisory locks, in one shared order), then takes a block of numbers from a
 * sequence: in each inbox numbers follow commit order, pending counts and sender quotas are read
 * exact, and commits to other inboxes never wait for it (one lock over every commit made each node
 * wait for the other's: see the README's PostgreSQL paragraph). The totals every commit moves (app
 * storage, usage) are split in shards; the app's storage quota holds to within what commits in
 * flight on other nodes add at that moment.
 */
export class KyselyMessagingStore implements MessagingStore, CommitCaches {
  private nextSeq: number | undefined;
  /** The single writer's caches; several writers keep theirs per commit. */
  readonly counts = new Map<string, number>();
  /** Bytes of undelivered messages per sender and app (the storage quotas). */
  readonly storage: InboxStorageLedger;
  /** Conversations whose members this process wrote: sends to them add no statement. */
  private readonly known: KnownConversations;

  constructor(
    private readonly db: Db,
    private readonly writers: 'one' | 'many' = 'one',
  ) {
    this.storage = new InboxStorageLedger(db);
    this.known = knownConversations(db);
  }

  /**
   * Reads what the batch's sends will check (their recipients' pending counts, their senders' and
   * app's stored bytes) in a few queries rather than one per recipient and sender.
   */
  private async prefetch(trx: Trx, ops: readonly MessagingOp[], caches: CommitCaches): Promise<PrereadForBatch> {
    const { counts } = caches;
    const reads: GroupedRead[] = [];
    const retried: RetriedSends = new Map();
    const historyDays = new Map<string, number>();
    reads.push(...retriedSendsReads(trx, ops, retried));
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
        reads.push({
          query: trx
            .selectFrom('message_inbox')
            .select(['uid', (eb) => eb.fn.countAll<number>().as('n')])
            .where('app_id', '=', appId)
            .where('uid', 'in', chunk)
            .where('received_at', 'is', null)
            .groupBy('uid'),
          take(rows) {
            if (counts.size + chunk.length >= MAX_CACHED_COUNTS) counts.clear();
            for (const uid of chunk) counts.set(compositeKey(appId, uid), 0);
            for (const row of rows) counts.set(compositeKey(appId, String(row.uid)), Number(row.n));
          },
        });
      }
      reads.push(...caches.storage.prefetchReads(trx, appId, [...senders]));
    }
    const days = historyDaysRead(trx, [...byApp.keys()], historyDays);
    if (days) reads.push(days);
    await readTogether(trx, isPostgres(trx), reads);
    return { retried, historyDays };
  }

  commit(ops: readonly MessagingOp[], limits: CommitLimits): Promise<MessagingCommit> {
    return this.writers === 'many' ? this.commitShared(ops, limits) : this.commitAlone(ops, limits);
  }

  /** The only writer: numbers and counts come from memory. */
  private async commitAlone(ops: readonly MessagingOp[], limits: CommitLimits): Promise<MessagingCommit> {
    return this.db
      .transaction()
      .execute(async (trx) => {
        const storage = this.storage.begin(trx);
        const first = this.nextSeq ?? (await this.firstSeq(trx));
        const count = (app: string, uid: string) => this.count(trx, this, app, uid);
        const batch = new CommitBatch(trx, first, limits, storage, count, 0, this.known);
        const results = await batch.apply(ops);
        await batch.write(storage);
        batch.committed();
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

  /**
   * One of several writers: nothing cached outlives the transaction, and only commits to the same
   * inboxes or from the same senders wait for each other.
   */
  private async commitShared(ops: readonly MessagingOp[], limits: CommitLimits): Promise<MessagingCommit> {
    for (let attempt = 1; ; attempt++) {
      try {
        const commit = await this.db.transaction().execute(async (trx) => {
          // The block of numbers is taken holding the inboxes' locks: in each inbox, numbers follow commits.
          const first = await lockKeysThenNext(trx, batchKeys(ops), 'message_inbox_seq');
          const caches: CommitCaches = { counts: new Map(), storage: new InboxStorageLedger(this.db) };
          const preread = await this.prefetch(trx, ops, caches);
          const shard = randomInt(SHARDS);
          const storage = caches.storage.begin(trx, shard);
          const count = (app: string, uid: string) => this.count(trx, caches, app, uid);
          const batch = new CommitBatch(trx, first, limits, storage, count, shard, this.known, preread);
          const results = await batch.apply(ops);
          if (batch.seq - first > SEQ_BLOCK) throw new Error('A messaging batch outgrew its block of inbox numbers.');
          await batch.write(storage);
          batch.committed();
          return { results, deliveries: batch.deliveries };
        });
        // The locks went at COMMIT; the batch is stored, and may be acknowledged, once it is on disk.
        await flushCommitted(this.db);
        return commit;
      } catch (e) {
        this.known.clear();
        if (attempt < MAX_ATTEMPTS && isRetryable(e)) continue;
        throw e;
      }
    }
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
    this.known.clear();
    this.storage.forget();
  }

  async expire(appId: string, before: number, limit: number): Promise<number> {
    return this.db
      .transaction()
      .execute(async (trx) => {
        const removed = await deleteExpiredEntries(trx, appId, before, limit);
        // Several writers: a ledger of its own, whose cache nobody else reads.
        const ledger = this.writers === 'many' ? new InboxStorageLedger(this.db) : this.storage;
        const storage = ledger.begin(trx, this.writers === 'many' ? randomInt(SHARDS) : 0);
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

  forgetReceived(before: number, limit: number): Promise<number> {
    return deleteReceivedEntries(this.db, before, limit);
  }

  storedBytes(appId: string, sender?: string): Promise<number> {
    return this.storage.stored(appId, sender);
  }

  appsWithStoredMessages(): Promise<string[]> {
    return this.storage.appsWithStoredMessages();
  }

  /** The single writer's next inbox number: past the largest stored one. */
  private async firstSeq(trx: Trx): Promise<number> {
    const row = await trx
      .selectFrom('message_inbox')
      .select((eb) => eb.fn.max('seq').as('m'))
      .executeTakeFirst();
    return Number(row?.m ?? 0) + 1;
  }

  private async count(trx: Trx, caches: CommitCaches, appId: string, uid: string): Promise<number> {
    const { counts } = caches;
    const k = compositeKey(appId, uid);
    const cached = counts.get(k);
    if (cached !== undefined) return cached;
    const n = await countPending(trx, appId, uid);
    if (counts.size >= MAX_CACHED_COUNTS) counts.clear();
    counts.set(k, n);
    return n;
  }

  pending(appId: string, uid: string, afterSeq: number, limit: number, takenSince?: number): Promise<InboxEntry[]> {
    return pendingEntries(this.db, appId, uid, afterSeq, limit, takenSince);
  }

  pendingCount(appId: string, uid: string): Promise<number> {
    return countPending(this.db, appId, uid);
  }

  getMessage(
    appId: string,
    msgId: string,
  ): Promise<{ sender: string; recipients: string[]; clientId: string | null } | undefined> {
    return storedMessage(this.db, appId, msgId);
  }

  countMessages(appId: string): Promise<number> {
    return countMessages(this.db, appId);
  }

  sweep(before: number): Promise<number> {
    return sweepMessages(this.db, before);
  }

  async addPushes(appId: string, count: number, at: number): Promise<void> {
    if (count <= 0) return;
    await addMessagingUsage(this.db, appId, utcDay(at), { sent: 0, delivered: 0, pushes: count });
  }

  usage(appId: string): Promise<MessagingUsageDay[]> {
    return listMessagingUsage(this.db, appId);
  }
}
