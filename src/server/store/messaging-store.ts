import type { Kysely, Transaction } from 'kysely';
import { ErrorCode, type AcknowledgeStateValue } from '../../protocol/index.js';
import { deleteExpiredEntries } from './inbox-expiry.js';
import { InboxStorageLedger, messageEntryBytes, type StorageBatch } from './inbox-storage.js';
import type {
  CommitLimits,
  InboxEntry,
  MessagingCommit,
  MessagingOp,
  MessagingOpResult,
  MessagingStore,
  MessagingTables,
  MessagingUsageDay,
  PushStore,
  PushSubscriptionRecord,
  ReceiptOp,
  RemoveOp,
  SendOp,
  StoredDelivery,
} from './messaging-types.js';
import type { Database } from './schema.js';

type Db = Kysely<Database>;
type Trx = Transaction<Database>;
type InboxRow = MessagingTables['message_inbox'];

const RANK: Readonly<Record<AcknowledgeStateValue, number>> = { Delivered: 1, Read: 2 };
/** Rows per multi-row INSERT: well under SQLite's bound-variable limit. */
const INSERT_CHUNK = 100;
/** Cached pending counts kept before the cache starts over (it is refilled from the table). */
const MAX_CACHED_COUNTS = 200_000;

export function utcDay(at: number): string {
  return new Date(at).toISOString().slice(0, 10);
}

function toEntry(row: InboxRow): InboxEntry {
  const base = { seq: Number(row.seq), id: row.entry_id, msgId: row.msg_id, from: row.from_uid, createdAt: Number(row.created_at) };
  return row.kind === 'receipt'
    ? { ...base, kind: 'receipt', state: row.state as AcknowledgeStateValue }
    : { ...base, kind: 'message', body: row.body ?? '' };
}

function fail(code: number, description: string): MessagingOpResult {
  return { ok: false, code, description };
}

const key = (appId: string, uid: string) => `${appId}\u0000${uid}`;

/**
 * Messaging over Kysely. This process is the only writer: it numbers inbox entries itself (so one
 * transaction can insert many rows at once) and keeps each recipient's pending count in memory.
 */
export class KyselyMessagingStore implements MessagingStore {
  private nextSeq: number | undefined;
  private readonly counts = new Map<string, number>();
  /** Bytes of undelivered messages per sender and app (the storage quotas). */
  private readonly storage: InboxStorageLedger;

  constructor(private readonly db: Db) {
    this.storage = new InboxStorageLedger(db);
  }

  async commit(ops: readonly MessagingOp[], limits: CommitLimits): Promise<MessagingCommit> {
    return this.db.transaction().execute(async (trx) => {
      const storage = this.storage.begin(trx);
      const batch = new CommitBatch(trx, this.nextSeq ?? (await this.maxSeq(trx)) + 1, limits, storage, (app, uid) => this.count(trx, app, uid));
      const results = await batch.apply(ops);
      await batch.write();
      await storage.write();
      // Only now is it certain the transaction will commit (COMMIT itself can still fail; then the caches are reloaded).
      this.nextSeq = batch.seq;
      this.applyCountDeltas(batch.countDeltas);
      this.storage.applied(storage);
      return { results, deliveries: batch.deliveries };
    }).catch((e: unknown) => {
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
    return this.db.transaction().execute(async (trx) => {
      const removed = await deleteExpiredEntries(trx, appId, before, limit);
      const storage = this.storage.begin(trx);
      const countDeltas = new Map<string, number>();
      for (const entry of removed) {
        const k = key(appId, entry.uid);
        countDeltas.set(k, (countDeltas.get(k) ?? 0) - 1);
        if (entry.kind === 'message') storage.remove(appId, entry.fromUid, entry.bytes);
      }
      await storage.write();
      this.applyCountDeltas(countDeltas);
      this.storage.applied(storage);
      return removed.length;
    }).catch((e: unknown) => {
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

  private async maxSeq(trx: Trx): Promise<number> {
    const row = await trx.selectFrom('message_inbox').select((eb) => eb.fn.max('seq').as('m')).executeTakeFirst();
    return Number(row?.m ?? 0);
  }

  private async count(trx: Trx, appId: string, uid: string): Promise<number> {
    const k = key(appId, uid);
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

  async getMessage(appId: string, msgId: string): Promise<{ sender: string; recipients: string[]; clientId: string | null } | undefined> {
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
        not(exists(selectFrom('messages').select('msg_id').whereRef('messages.msg_id', '=', 'message_receipts.msg_id'))),
      )
      .execute();
    return Number(result.numDeletedRows);
  }

  async addPushes(appId: string, count: number, at: number): Promise<void> {
    if (count <= 0) return;
    await addUsage(this.db, appId, utcDay(at), { sent: 0, delivered: 0, pushes: count });
  }

  async usage(appId: string): Promise<MessagingUsageDay[]> {
    const rows = await this.db.selectFrom('usage_messaging_daily').selectAll().where('app_id', '=', appId).orderBy('day').execute();
    return rows.map((r) => ({ appId: r.app_id, day: r.day, sent: Number(r.sent), delivered: Number(r.delivered), pushes: Number(r.pushes) }));
  }
}

async function addUsage(db: Db | Trx, appId: string, day: string, delta: { sent: number; delivered: number; pushes: number }): Promise<void> {
  await db
    .insertInto('usage_messaging_daily')
    .values({ app_id: appId, day, ...delta })
    .onConflict((oc) =>
      oc.columns(['app_id', 'day']).doUpdateSet((eb) => ({
        sent: eb('usage_messaging_daily.sent', '+', eb.ref('excluded.sent')),
        delivered: eb('usage_messaging_daily.delivered', '+', eb.ref('excluded.delivered')),
        pushes: eb('usage_messaging_daily.pushes', '+', eb.ref('excluded.pushes')),
      })),
    )
    .execute();
}

/** The work of one transaction: checks each op against the table and what earlier ops of the batch did. */
class CommitBatch {
  readonly deliveries: StoredDelivery[] = [];
  readonly countDeltas = new Map<string, number>();
  private readonly messageRows: MessagingTables['messages'][] = [];
  private readonly inboxRows: InboxRow[] = [];
  /** Messages stored earlier in this batch, for receipts and retries within it. */
  private readonly batchMessages = new Map<string, { sender: string; recipients: readonly string[] }>();
  private readonly batchClientIds = new Map<string, { msgId: string; recipients: readonly string[] }>();
  private readonly usage = new Map<string, { sent: number; delivered: number; pushes: number }>();
  private readonly existingClientIds = new Map<string, { msgId: string; recipients: readonly string[] }>();
  private readonly removals = new Map<string, { appId: string; uid: string; ids: Set<string> }>();

  constructor(
    private readonly trx: Trx,
    public seq: number,
    private readonly limits: CommitLimits,
    private readonly storage: StorageBatch,
    private readonly countFor: (appId: string, uid: string) => Promise<number>,
  ) {}

  async apply(ops: readonly MessagingOp[]): Promise<MessagingOpResult[]> {
    await this.loadRetriedSends(ops);
    const results: MessagingOpResult[] = [];
    for (const op of ops) {
      if (op.kind === 'send') results.push(await this.send(op));
      else if (op.kind === 'receipt') results.push(await this.receipt(op));
      else results.push(this.remove(op));
    }
    await this.applyRemovals();
    return results;
  }

  /** One query for the batch: which client ids were already stored (retries after a drop). */
  private async loadRetriedSends(ops: readonly MessagingOp[]): Promise<void> {
    const clientIds = [...new Set(ops.flatMap((op) => (op.kind === 'send' && op.clientId ? [op.clientId] : [])))];
    for (let i = 0; i < clientIds.length; i += 500) {
      const rows = await this.trx
        .selectFrom('messages')
        .select(['app_id', 'sender', 'client_id', 'msg_id', 'recipients'])
        .where('client_id', 'in', clientIds.slice(i, i + 500))
        .execute();
      for (const row of rows) {
        this.existingClientIds.set(`${row.app_id}\u0000${row.sender}\u0000${row.client_id}`, {
          msgId: row.msg_id,
          recipients: JSON.parse(row.recipients) as string[],
        });
      }
    }
  }

  private async send(op: SendOp): Promise<MessagingOpResult> {
    const clientKey = op.clientId === undefined ? undefined : `${op.appId}\u0000${op.sender}\u0000${op.clientId}`;
    const earlier = clientKey && (this.existingClientIds.get(clientKey) ?? this.batchClientIds.get(clientKey));
    if (earlier) return { ok: true, kind: 'send', msgId: earlier.msgId, duplicate: true, recipients: earlier.recipients };
    const quota = this.limits.inboxQuota;
    for (const uid of op.to) {
      const pending = (await this.countFor(op.appId, uid)) + (this.countDeltas.get(key(op.appId, uid)) ?? 0);
      if (pending >= quota) return fail(ErrorCode.BadRequest, `The inbox of ${JSON.stringify(uid)} is full (${quota} pending messages).`);
    }
    const entryBytes = messageEntryBytes(op.body);
    const refused = await this.storage.refusal(op.appId, op.sender, entryBytes * op.to.length, this.limits);
    if (refused) return fail(refused.code, refused.description);
    // Last: it counts the recipients as contacted.
    const notAdmitted = this.limits.admitSend?.(op);
    if (notAdmitted) return notAdmitted;
    this.messageRows.push({
      app_id: op.appId,
      msg_id: op.msgId,
      sender: op.sender,
      client_id: op.clientId ?? null,
      recipients: JSON.stringify(op.to),
      created_at: op.createdAt,
    });
    this.batchMessages.set(key(op.appId, op.msgId), { sender: op.sender, recipients: op.to });
    if (clientKey) this.batchClientIds.set(clientKey, { msgId: op.msgId, recipients: op.to });
    for (const uid of op.to) {
      this.addEntry(op.appId, uid, { seq: 0, kind: 'message', id: op.msgId, msgId: op.msgId, from: op.sender, body: op.body, createdAt: op.createdAt }, entryBytes);
    }
    this.usageOf(op.appId, op.createdAt).sent += 1;
    return { ok: true, kind: 'send', msgId: op.msgId, duplicate: false, recipients: op.to };
  }

  private async receipt(op: ReceiptOp): Promise<MessagingOpResult> {
    const message = this.batchMessages.get(key(op.appId, op.msgId)) ?? (await this.loadMessage(op.appId, op.msgId));
    if (!message) return fail(ErrorCode.InvalidResource, `There is no message ${JSON.stringify(op.msgId)}.`);
    if (!message.recipients.includes(op.from)) return fail(ErrorCode.NotAuthorized, 'Only a recipient of a message can acknowledge it.');
    const participants = new Set([message.sender, ...message.recipients]);
    const stranger = op.to.find((uid) => !participants.has(uid));
    if (stranger !== undefined) return fail(ErrorCode.NotAuthorized, `${JSON.stringify(stranger)} is not part of this message.`);

    const rank = RANK[op.state];
    const current = await this.trx
      .selectFrom('message_receipts')
      .select('rank')
      .where('app_id', '=', op.appId)
      .where('msg_id', '=', op.msgId)
      .where('uid', '=', op.from)
      .executeTakeFirst();
    // Read only moves forward: a Delivered after Read, or a repeat, is answered but not forwarded.
    if (current && Number(current.rank) >= rank) return { ok: true, kind: 'receipt', forwarded: false };
    await this.trx
      .insertInto('message_receipts')
      .values({ app_id: op.appId, msg_id: op.msgId, uid: op.from, rank, updated_at: op.createdAt })
      .onConflict((oc) => oc.columns(['app_id', 'msg_id', 'uid']).doUpdateSet({ rank, updated_at: op.createdAt }))
      .execute();
    const entryId = `${op.msgId}|${op.from}|${op.state}`;
    for (const uid of op.to) {
      this.addEntry(op.appId, uid, { seq: 0, kind: 'receipt', id: entryId, msgId: op.msgId, from: op.from, state: op.state, createdAt: op.createdAt });
    }
    return { ok: true, kind: 'receipt', forwarded: true };
  }

  private async loadMessage(appId: string, msgId: string): Promise<{ sender: string; recipients: readonly string[] } | undefined> {
    const row = await this.trx
      .selectFrom('messages')
      .select(['sender', 'recipients'])
      .where('app_id', '=', appId)
      .where('msg_id', '=', msgId)
      .executeTakeFirst();
    return row && { sender: row.sender, recipients: JSON.parse(row.recipients) as string[] };
  }

  /** Removals wait for the end of the batch, one DELETE per recipient: a client can only remove rows it was sent, which earlier batches wrote. */
  private remove(op: RemoveOp): MessagingOpResult {
    const k = key(op.appId, op.uid);
    let ids = this.removals.get(k);
    if (!ids) this.removals.set(k, (ids = { appId: op.appId, uid: op.uid, ids: new Set() }));
    for (const id of op.ids) ids.ids.add(id);
    return { ok: true, kind: 'remove' };
  }

  private async applyRemovals(): Promise<void> {
    for (const [k, { appId, uid, ids }] of this.removals) {
      const list = [...ids];
      for (let i = 0; i < list.length; i += 500) {
        const removed = await this.trx
          .deleteFrom('message_inbox')
          .where('app_id', '=', appId)
          .where('uid', '=', uid)
          .where('entry_id', 'in', list.slice(i, i + 500))
          .returning(['kind', 'from_uid', 'bytes'])
          .execute();
        if (removed.length === 0) continue;
        this.countDeltas.set(k, (this.countDeltas.get(k) ?? 0) - removed.length);
        for (const r of removed) if (r.kind === 'message') this.storage.remove(appId, r.from_uid, Number(r.bytes));
        this.usageOf(appId, Date.now()).delivered += removed.filter((r) => r.kind === 'message').length;
      }
    }
  }

  /** `bytes`: what a message entry counts in the storage quotas. */
  private addEntry(appId: string, uid: string, entry: InboxEntry, bytes = 0): void {
    const stored = { ...entry, seq: this.seq++ };
    this.deliveries.push({ appId, uid, entry: stored });
    this.inboxRows.push({
      seq: stored.seq,
      app_id: appId,
      uid,
      entry_id: stored.id,
      kind: stored.kind,
      msg_id: stored.msgId,
      from_uid: stored.from,
      body: stored.kind === 'message' ? stored.body : null,
      state: stored.kind === 'receipt' ? stored.state : null,
      created_at: stored.createdAt,
      bytes,
    });
    if (bytes > 0) this.storage.add(appId, stored.from, bytes);
    const k = key(appId, uid);
    this.countDeltas.set(k, (this.countDeltas.get(k) ?? 0) + 1);
  }

  private usageOf(appId: string, at: number): { sent: number; delivered: number; pushes: number } {
    const k = `${appId}\u0000${utcDay(at)}`;
    let u = this.usage.get(k);
    if (!u) this.usage.set(k, (u = { sent: 0, delivered: 0, pushes: 0 }));
    return u;
  }

  /** Writes the batch's rows: a few multi-row INSERTs instead of one per message. */
  async write(): Promise<void> {
    for (let i = 0; i < this.messageRows.length; i += INSERT_CHUNK) {
      await this.trx.insertInto('messages').values(this.messageRows.slice(i, i + INSERT_CHUNK)).execute();
    }
    for (let i = 0; i < this.inboxRows.length; i += INSERT_CHUNK) {
      await this.trx
        .insertInto('message_inbox')
        .values(this.inboxRows.slice(i, i + INSERT_CHUNK))
        .onConflict((oc) => oc.columns(['app_id', 'uid', 'entry_id']).doNothing())
        .execute();
    }
    for (const [k, delta] of this.usage) {
      const [appId, day] = k.split('\u0000') as [string, string];
      await addUsage(this.trx, appId, day, delta);
    }
  }
}

export class KyselyPushStore implements PushStore {
  constructor(private readonly db: Db) {}

  async save(sub: PushSubscriptionRecord, maxPerUser: number): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await trx
        .insertInto('push_subscriptions')
        .values({
          app_id: sub.appId,
          endpoint: sub.endpoint,
          uid: sub.uid,
          kind: sub.kind,
          p256dh: sub.p256dh,
          auth: sub.auth,
          created_at: sub.createdAt,
        })
        .onConflict((oc) =>
          oc.columns(['app_id', 'endpoint']).doUpdateSet({ uid: sub.uid, kind: sub.kind, p256dh: sub.p256dh, auth: sub.auth, created_at: sub.createdAt }),
        )
        .execute();
      const rows = await trx
        .selectFrom('push_subscriptions')
        .select('endpoint')
        .where('app_id', '=', sub.appId)
        .where('uid', '=', sub.uid)
        .orderBy('created_at', 'desc')
        .execute();
      const excess = rows.slice(maxPerUser).map((r) => r.endpoint);
      if (excess.length > 0) {
        await trx.deleteFrom('push_subscriptions').where('app_id', '=', sub.appId).where('endpoint', 'in', excess).execute();
      }
    });
  }

  async forUsers(appId: string, uids: readonly string[]): Promise<PushSubscriptionRecord[]> {
    if (uids.length === 0) return [];
    const rows = await this.db
      .selectFrom('push_subscriptions')
      .selectAll()
      .where('app_id', '=', appId)
      .where('uid', 'in', [...uids])
      .orderBy('created_at')
      .execute();
    return rows.map((r) => ({
      appId: r.app_id,
      uid: r.uid,
      endpoint: r.endpoint,
      kind: r.kind,
      p256dh: r.p256dh,
      auth: r.auth,
      createdAt: Number(r.created_at),
    }));
  }

  async remove(appId: string, endpoint: string, uid?: string): Promise<boolean> {
    let query = this.db.deleteFrom('push_subscriptions').where('app_id', '=', appId).where('endpoint', '=', endpoint);
    if (uid !== undefined) query = query.where('uid', '=', uid);
    const result = await query.executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }
}
