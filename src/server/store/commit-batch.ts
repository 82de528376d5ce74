import { sql, type Transaction } from 'kysely';
import { ErrorCode, type AcknowledgeStateValue } from '../../protocol/index.js';
import { compositeKey } from '../composite-key.js';
import type { KnownConversations } from './conversation-members.js';
import { checkFiles, markSent } from './file-store.js';
import { HistoryBatch, markDeleted } from './history-batch.js';
import { peopleKey } from './history-store.js';
import { messageEntryBytes, type StorageBatch } from './inbox-storage.js';
import { MessagingUsageTally } from './messaging-usage.js';
import type {
  CommitLimits,
  DeleteOp,
  InboxEntry,
  MessagingOpResult,
  MessagingOp,
  MessagingTables,
  ReceiptOp,
  RemoveOp,
  SendOp,
  StoredDelivery,
} from './messaging-types.js';
import type { Database } from './schema.js';
import { readTogether, WriteGroup } from './write-group.js';
import { retriedSendsReads, type PrereadForBatch, type RetriedSends } from './retried-sends.js';
import { isPostgres } from './writer-lock.js';

type Trx = Transaction<Database>;
type InboxRow = MessagingTables['message_inbox'];

const RANK: Readonly<Record<AcknowledgeStateValue, number>> = { Delivered: 1, Read: 2 };
/** Rows per multi-row INSERT: well under SQLite's bound-variable limit. */
const INSERT_CHUNK = 100;
/** (uid, entry id) pairs per DELETE: two bound values each, well under SQLite's limit. */
const REMOVE_CHUNK = 500;

function fail(code: number, description: string): MessagingOpResult {
  return { ok: false, code, description };
}

/** The work of one transaction: checks each op against the table and what earlier ops of the batch did. */
export class CommitBatch {
  readonly deliveries: StoredDelivery[] = [];
  readonly countDeltas = new Map<string, number>();
  private readonly messageRows: MessagingTables['messages'][] = [];
  private readonly inboxRows: InboxRow[] = [];
  /** Messages stored earlier in this batch, for receipts and retries within it. */
  private readonly batchMessages = new Map<string, { sender: string; recipients: readonly string[] }>();
  private readonly batchClientIds = new Map<string, { msgId: string; recipients: readonly string[] }>();
  private readonly usage = new MessagingUsageTally();
  /** The batch's client ids already stored (retries after a drop): read with the batch's other reads, or by apply. */
  private readonly existingClientIds: RetriedSends;
  private readonly retriedRead: boolean;
  private readonly removals = new Map<string, { appId: string; uid: string; ids: Set<string> }>();
  /** The conversations' history rows of this batch's sends (and their members, the readers' marks). */
  private readonly history: HistoryBatch;
  /** The batch's writes that nothing reads back: one statement on PostgreSQL (write-group.ts). */
  readonly writes: WriteGroup;

  /**
   * `seq`: the first inbox number this batch may use; `shard`: which shard of the usage totals it adds to;
   * `known`: conversations whose members are written (conversation-members.ts).
   */
  constructor(
    private readonly trx: Trx,
    public seq: number,
    private readonly limits: CommitLimits,
    private readonly storage: StorageBatch,
    private readonly countFor: (appId: string, uid: string) => Promise<number>,
    private readonly shard = 0,
    known?: KnownConversations,
    preread?: PrereadForBatch,
  ) {
    this.history = new HistoryBatch(known, preread?.historyDays);
    this.writes = new WriteGroup(trx, isPostgres(trx));
    this.existingClientIds = preread?.retried ?? new Map();
    this.retriedRead = preread !== undefined;
  }

  async apply(ops: readonly MessagingOp[]): Promise<MessagingOpResult[]> {
    if (!this.retriedRead)
      await readTogether(this.trx, false, retriedSendsReads(this.trx, ops, this.existingClientIds));
    const results: MessagingOpResult[] = [];
    for (const op of ops) {
      if (op.kind === 'send') results.push(await this.send(op));
      else if (op.kind === 'receipt') results.push(await this.receipt(op));
      else if (op.kind === 'delete') results.push(await this.deleteForEveryone(op));
      else results.push(this.remove(op));
    }
    await this.applyRemovals();
    return results;
  }

  private async send(op: SendOp): Promise<MessagingOpResult> {
    const clientKey = op.clientId === undefined ? undefined : compositeKey(op.appId, op.sender, op.clientId);
    const earlier = clientKey && (this.existingClientIds.get(clientKey) ?? this.batchClientIds.get(clientKey));
    if (earlier)
      return { ok: true, kind: 'send', msgId: earlier.msgId, duplicate: true, recipients: earlier.recipients };
    const quota = this.limits.inboxQuota;
    for (const uid of op.to) {
      const pending = (await this.countFor(op.appId, uid)) + (this.countDeltas.get(compositeKey(op.appId, uid)) ?? 0);
      if (pending >= quota)
        return fail(ErrorCode.BadRequest, `The inbox of ${JSON.stringify(uid)} is full (${quota} pending messages).`);
    }
    // Only a send that names files reads them (sends without any keep their statements).
    const claim = op.files && (await checkFiles(this.trx, op.appId, op.sender, peopleKey(op.sender, op.to), op.files));
    if (claim && !claim.ok) return fail(claim.code, claim.description);
    const files = claim ? claim.files : undefined;
    const filesJson = files ? JSON.stringify(files) : null;
    const entryBytes = messageEntryBytes(op.body) + (filesJson?.length ?? 0);
    const refused = await this.storage.refusal(op.appId, op.sender, entryBytes * op.to.length, this.limits);
    if (refused) return fail(refused.code, refused.description);
    // Last: it counts the recipients as contacted.
    const notAdmitted = this.limits.admitSend?.(op);
    if (notAdmitted) return notAdmitted;
    if (files) await markSent(this.trx, op.appId, files, op.msgId, op.createdAt);
    this.messageRows.push({
      app_id: op.appId,
      msg_id: op.msgId,
      sender: op.sender,
      client_id: op.clientId ?? null,
      recipients: JSON.stringify(op.to),
      created_at: op.createdAt,
    });
    this.batchMessages.set(compositeKey(op.appId, op.msgId), { sender: op.sender, recipients: op.to });
    this.history.add(op, this.seq, filesJson);
    if (clientKey) this.batchClientIds.set(clientKey, { msgId: op.msgId, recipients: op.to });
    for (const uid of op.to) {
      this.addEntry(
        op.appId,
        uid,
        {
          seq: 0,
          kind: 'message',
          id: op.msgId,
          msgId: op.msgId,
          from: op.sender,
          body: op.body,
          createdAt: op.createdAt,
          ...(files ? { files } : {}),
        },
        entryBytes,
        filesJson,
      );
    }
    this.usage.of(op.appId, op.createdAt).sent += 1;
    return { ok: true, kind: 'send', msgId: op.msgId, duplicate: false, recipients: op.to };
  }

  private async receipt(op: ReceiptOp): Promise<MessagingOpResult> {
    const message =
      this.batchMessages.get(compositeKey(op.appId, op.msgId)) ?? (await this.loadMessage(op.appId, op.msgId));
    if (!message) return fail(ErrorCode.InvalidResource, `There is no message ${JSON.stringify(op.msgId)}.`);
    if (!message.recipients.includes(op.from))
      return fail(ErrorCode.NotAuthorized, 'Only a recipient of a message can acknowledge it.');
    const participants = new Set([message.sender, ...message.recipients]);
    const stranger = op.to.find((uid) => !participants.has(uid));
    if (stranger !== undefined)
      return fail(ErrorCode.NotAuthorized, `${JSON.stringify(stranger)} is not part of this message.`);

    const rank = RANK[op.state];
    // Read only moves forward: a Delivered after Read, or a repeat, is answered but not forwarded.
    // One conditional upsert, so it holds when another writer stores a receipt at the same moment.
    const moved = await this.trx
      .insertInto('message_receipts')
      .values({ app_id: op.appId, msg_id: op.msgId, uid: op.from, rank, updated_at: op.createdAt })
      .onConflict((oc) =>
        oc
          .columns(['app_id', 'msg_id', 'uid'])
          .doUpdateSet({ rank, updated_at: op.createdAt })
          .where('message_receipts.rank', '<', rank),
      )
      .returning('rank')
      .executeTakeFirst();
    if (!moved) return { ok: true, kind: 'receipt', forwarded: false };
    if (op.state === 'Read') this.history.read(op.appId, op.from, op.msgId);
    const entryId = `${op.msgId}|${op.from}|${op.state}`;
    for (const uid of op.to) {
      this.addEntry(op.appId, uid, {
        seq: 0,
        kind: 'receipt',
        id: entryId,
        msgId: op.msgId,
        from: op.from,
        state: op.state,
        createdAt: op.createdAt,
      });
    }
    return { ok: true, kind: 'receipt', forwarded: true };
  }

  private async loadMessage(
    appId: string,
    msgId: string,
  ): Promise<{ sender: string; recipients: readonly string[] } | undefined> {
    const row = await this.trx
      .selectFrom('messages')
      .select(['sender', 'recipients'])
      .where('app_id', '=', appId)
      .where('msg_id', '=', msgId)
      .executeTakeFirst();
    return row && { sender: row.sender, recipients: JSON.parse(row.recipients) as string[] };
  }

  /**
   * Deletes a message for everyone: its history row is emptied, its entries still pending go (with
   * their quota), and the others get a `deleted` entry, so one offline learns on return. The caller
   * checked that `op.sender` sent it (a sender never changes); a retry after it was marked changes nothing.
   */
  private async deleteForEveryone(op: DeleteOp): Promise<MessagingOpResult> {
    if ((await markDeleted(this.trx, op.appId, op.msgId, op.sender, op.createdAt)) === 'already')
      return { ok: true, kind: 'delete' };
    const removed = await this.trx
      .deleteFrom('message_inbox')
      .where('msg_id', '=', op.msgId)
      .where('app_id', '=', op.appId)
      .where('kind', '=', 'message')
      .where('from_uid', '=', op.sender)
      .returning(['uid', 'bytes', 'received_at'])
      .execute();
    // Entries already taken were accounted for when they were taken.
    for (const r of removed) {
      if (r.received_at !== null) continue;
      const k = compositeKey(op.appId, r.uid);
      this.countDeltas.set(k, (this.countDeltas.get(k) ?? 0) - 1);
      this.storage.remove(op.appId, op.sender, Number(r.bytes));
    }
    const id = `${op.msgId}|deleted`;
    for (const uid of op.to) {
      this.addEntry(op.appId, uid, {
        seq: 0,
        kind: 'deleted',
        id,
        msgId: op.msgId,
        from: op.sender,
        createdAt: op.createdAt,
      });
    }
    return { ok: true, kind: 'delete' };
  }

  /** Removals wait for the end of the batch: a client can only remove rows it was sent, which earlier batches wrote. */
  private remove(op: RemoveOp): MessagingOpResult {
    const k = compositeKey(op.appId, op.uid);
    let ids = this.removals.get(k);
    if (!ids) this.removals.set(k, (ids = { appId: op.appId, uid: op.uid, ids: new Set() }));
    for (const id of op.ids) ids.ids.add(id);
    return { ok: true, kind: 'remove' };
  }

  /**
   * Marks what clients took (kept a while: inbox-received.ts), one UPDATE per app for every
   * recipient (in chunks), not one per recipient: on PostgreSQL each statement is a round trip made
   * while the batch holds its inboxes' locks.
   */
  private async applyRemovals(): Promise<void> {
    const byApp = new Map<string, [uid: string, entryId: string][]>();
    for (const { appId, uid, ids } of this.removals.values()) {
      let pairs = byApp.get(appId);
      if (!pairs) byApp.set(appId, (pairs = []));
      for (const id of ids) pairs.push([uid, id]);
    }
    const now = Date.now();
    for (const [appId, pairs] of byApp) {
      for (let i = 0; i < pairs.length; i += REMOVE_CHUNK) {
        const chunk = pairs.slice(i, i + REMOVE_CHUNK).map(([uid, id]) => sql`(${uid}, ${id})`);
        const removed = await this.trx
          .updateTable('message_inbox')
          .set({ received_at: now })
          .where('app_id', '=', appId)
          .where(sql<boolean>`(uid, entry_id) in (values ${sql.join(chunk)})`)
          .where('received_at', 'is', null)
          .returning(['uid', 'kind', 'from_uid', 'bytes'])
          .execute();
        for (const r of removed) {
          const k = compositeKey(appId, r.uid);
          this.countDeltas.set(k, (this.countDeltas.get(k) ?? 0) - 1);
          if (r.kind === 'message') this.storage.remove(appId, r.from_uid, Number(r.bytes));
        }
        this.usage.of(appId, now).delivered += removed.filter((r) => r.kind === 'message').length;
      }
    }
  }

  /** `bytes`: what a message entry counts in the storage quotas. */
  private addEntry(appId: string, uid: string, entry: InboxEntry, bytes = 0, files: string | null = null): void {
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
      files,
      received_at: null,
    });
    if (bytes > 0) this.storage.add(appId, stored.from, bytes);
    const k = compositeKey(appId, uid);
    this.countDeltas.set(k, (this.countDeltas.get(k) ?? 0) + 1);
  }

  /** Call once the transaction is about to commit: what it wrote may be remembered. */
  committed(): void {
    this.history.committed();
  }

  /**
   * Writes the batch's rows (a few multi-row INSERTs instead of one per message) and then the
   * storage totals; on PostgreSQL all of them in one statement.
   */
  async write(storage: StorageBatch): Promise<void> {
    const { writes } = this;
    for (let i = 0; i < this.messageRows.length; i += INSERT_CHUNK) {
      await writes.add(this.trx.insertInto('messages').values(this.messageRows.slice(i, i + INSERT_CHUNK)));
    }
    for (let i = 0; i < this.inboxRows.length; i += INSERT_CHUNK) {
      await writes.add(
        this.trx
          .insertInto('message_inbox')
          .values(this.inboxRows.slice(i, i + INSERT_CHUNK))
          .onConflict((oc) => oc.columns(['app_id', 'uid', 'entry_id']).doNothing()),
      );
    }
    await this.history.write(this.trx, writes);
    await this.usage.write(this.trx, this.shard, writes);
    await storage.write(writes);
  }
}
