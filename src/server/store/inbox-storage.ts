import type { Kysely, Transaction } from 'kysely';
import { ErrorCode, utf8Bytes } from '../../protocol/index.js';
import type { Database } from './schema.js';
import { WriteGroup, type GroupedRead } from './write-group.js';
import { compositeKey } from '../composite-key.js';

/** What a stored message entry costs beside its body: roughly its row and index entries. */
export const ENTRY_OVERHEAD_BYTES = 256;

/** Bytes a message entry is charged in the storage quotas. */
export function messageEntryBytes(body: string): number {
  return utf8Bytes(body) + ENTRY_OVERHEAD_BYTES;
}

/**
 * Running totals of undelivered message bytes, per sender and per app, each the sum of its shards'
 * rows: several writers add to different shards, so their commits rarely wait on one row.
 */
export interface InboxStorageTables {
  inbox_storage_by_sender: { app_id: string; sender: string; shard: number; bytes: number };
  inbox_storage_by_app: { app_id: string; shard: number; bytes: number };
}

/** Storage quotas a commit enforces on sends. Absent: no limit. */
export interface StorageQuotas {
  /** Most bytes of undelivered messages one sender may hold in the store. */
  readonly senderBytes?: number;
  /** Most bytes of undelivered messages one app may hold in the store. */
  readonly appBytes?: number;
}

type Db = Kysely<Database>;
type Trx = Transaction<Database>;

/** Totals kept in memory before the cache starts over (it is refilled from the tables). */
const MAX_CACHED = 200_000;
/** Ids per IN list of a prefetch (the messaging store's too). */
export const PREFETCH_CHUNK = 500;
/** Rows per multi-row upsert. */
const CHUNK = 100;

const senderKey = (appId: string, uid: string) => compositeKey(appId, uid);
/** Plain code-unit order, the same in every process. */
export const compareKeys = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

function formatBytes(n: number): string {
  if (n >= 1024 * 1024) return `${(n / (1024 * 1024)).toFixed(1)} MB`;
  if (n >= 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${n} bytes`;
}

/** One sender's stored bytes in an app: the sum of its shards. */
function senderBytesQuery(db: Db | Trx, appId: string, sender: string) {
  return db
    .selectFrom('inbox_storage_by_sender')
    .select((eb) => eb.fn.sum<number>('bytes').as('bytes'))
    .where('app_id', '=', appId)
    .where('sender', '=', sender);
}

/** An app's stored bytes: the sum of its shards. */
function appBytesQuery(db: Db | Trx, appId: string) {
  return db
    .selectFrom('inbox_storage_by_app')
    .select((eb) => eb.fn.sum<number>('bytes').as('bytes'))
    .where('app_id', '=', appId);
}

/**
 * The storage quota's bookkeeping. Totals live in two tables updated in the same transaction
 * as the inbox rows they count, so they survive a restart exactly; this object caches them and
 * hands each transaction a {@link StorageBatch} for its changes. The cache holds with one writer
 * and one transaction at a time; with several nodes the messaging store forgets it at every commit.
 */
export class InboxStorageLedger {
  private readonly senders = new Map<string, number>();
  private readonly apps = new Map<string, number>();

  constructor(private readonly db: Db) {}

  /** The changes of one transaction, written to one shard of the totals. */
  begin(trx: Trx, shard = 0): StorageBatch {
    return new StorageBatch(trx, this, shard);
  }

  /** After the batch's transaction body succeeded: cached totals move by its deltas. */
  applied(batch: StorageBatch): void {
    for (const [k, d] of batch.senderDeltas) {
      const cached = this.senders.get(k);
      if (cached !== undefined) this.senders.set(k, cached + d.bytes);
    }
    for (const [appId, delta] of batch.appDeltas) {
      const cached = this.apps.get(appId);
      if (cached !== undefined) this.apps.set(appId, cached + delta);
    }
  }

  /** After a failed transaction: the tables are the truth again. */
  forget(): void {
    this.senders.clear();
    this.apps.clear();
  }

  /**
   * The reads of the stored bytes of these senders and of their app, into the caches, to go with the
   * commit's other reads (write-group.ts): a writer that forgets its caches at every commit (several
   * nodes) then asks no more per message.
   */
  prefetchReads(db: Db | Trx, appId: string, senders: readonly string[]): GroupedRead[] {
    const reads: GroupedRead[] = [];
    for (let i = 0; i < senders.length; i += PREFETCH_CHUNK) {
      const chunk = senders.slice(i, i + PREFETCH_CHUNK);
      reads.push({
        query: db
          .selectFrom('inbox_storage_by_sender')
          .select(['sender', (eb) => eb.fn.sum<number>('bytes').as('bytes')])
          .where('app_id', '=', appId)
          .where('sender', 'in', chunk)
          .groupBy('sender'),
        take: (rows) => {
          if (this.senders.size + chunk.length >= MAX_CACHED) this.senders.clear();
          for (const sender of chunk) this.senders.set(senderKey(appId, sender), 0);
          for (const row of rows) this.senders.set(senderKey(appId, String(row.sender)), Number(row.bytes));
        },
      });
    }
    if (!this.apps.has(appId))
      reads.push({ query: appBytesQuery(db, appId), take: (rows) => this.rememberApp(appId, rows[0]?.bytes) });
    return reads;
  }

  async senderBytes(db: Db | Trx, appId: string, uid: string): Promise<number> {
    const k = senderKey(appId, uid);
    const cached = this.senders.get(k);
    if (cached !== undefined) return cached;
    const n = Number((await senderBytesQuery(db, appId, uid).executeTakeFirst())?.bytes ?? 0);
    if (this.senders.size >= MAX_CACHED) this.senders.clear();
    this.senders.set(k, n);
    return n;
  }

  async appBytes(db: Db | Trx, appId: string): Promise<number> {
    const cached = this.apps.get(appId);
    if (cached !== undefined) return cached;
    return this.rememberApp(appId, (await appBytesQuery(db, appId).executeTakeFirst())?.bytes);
  }

  private rememberApp(appId: string, bytes: unknown): number {
    const n = Number(bytes ?? 0);
    if (this.apps.size >= MAX_CACHED) this.apps.clear();
    this.apps.set(appId, n);
    return n;
  }

  /** Bytes of undelivered messages stored for an app, or for one sender of it (read from the tables). */
  async stored(appId: string, sender?: string): Promise<number> {
    const query = sender === undefined ? appBytesQuery(this.db, appId) : senderBytesQuery(this.db, appId, sender);
    return Number((await query.executeTakeFirst())?.bytes ?? 0);
  }

  /** Apps that hold undelivered messages (the expiry sweep also visits apps since deleted). */
  async appsWithStoredMessages(): Promise<string[]> {
    const rows = await this.db
      .selectFrom('inbox_storage_by_app')
      .select('app_id')
      .groupBy('app_id')
      .having((eb) => eb.fn.sum('bytes'), '>', 0)
      .execute();
    return rows.map((r) => r.app_id);
  }
}

/** The storage changes of one transaction: checks sends against the quotas, then writes the totals. */
export class StorageBatch {
  readonly senderDeltas = new Map<string, { appId: string; uid: string; bytes: number }>();
  readonly appDeltas = new Map<string, number>();

  constructor(
    private readonly trx: Trx,
    private readonly ledger: InboxStorageLedger,
    private readonly shard: number,
  ) {}

  /**
   * Whether `bytes` more for this sender fit both quotas, counting what earlier ops of this
   * transaction did. Returns the refusal's description, or undefined when it fits.
   */
  async refusal(
    appId: string,
    sender: string,
    bytes: number,
    quotas: StorageQuotas,
  ): Promise<{ code: number; description: string } | undefined> {
    if (quotas.senderBytes !== undefined && Number.isFinite(quotas.senderBytes)) {
      const held =
        (await this.ledger.senderBytes(this.trx, appId, sender)) +
        (this.senderDeltas.get(senderKey(appId, sender))?.bytes ?? 0);
      if (held + bytes > quotas.senderBytes) {
        return {
          code: ErrorCode.BadRequest,
          description:
            `Storage quota reached: your undelivered messages take ${formatBytes(held)} of ${formatBytes(quotas.senderBytes)} ` +
            `and this one needs ${formatBytes(bytes)}. Room frees as recipients receive messages or they expire.`,
        };
      }
    }
    if (quotas.appBytes !== undefined && Number.isFinite(quotas.appBytes)) {
      const held = (await this.ledger.appBytes(this.trx, appId)) + (this.appDeltas.get(appId) ?? 0);
      if (held + bytes > quotas.appBytes) {
        return {
          code: ErrorCode.BadRequest,
          description:
            `Storage quota of this app reached: its undelivered messages take ${formatBytes(held)} of ${formatBytes(quotas.appBytes)}. ` +
            'Room frees as recipients receive messages or they expire.',
        };
      }
    }
    return undefined;
  }

  add(appId: string, sender: string, bytes: number): void {
    const k = senderKey(appId, sender);
    const d = this.senderDeltas.get(k);
    if (d) d.bytes += bytes;
    else this.senderDeltas.set(k, { appId, uid: sender, bytes });
    this.appDeltas.set(appId, (this.appDeltas.get(appId) ?? 0) + bytes);
  }

  remove(appId: string, sender: string, bytes: number): void {
    this.add(appId, sender, -bytes);
  }

  /**
   * Adds the deltas to this batch's shard; shard rows that fell to zero leave. A shard may go below
   * zero (bytes stored through one shard are freed through another): only the sum means anything.
   * Rows in key order, so two writers on one shard take their row locks in the same order.
   */
  async write(writes = new WriteGroup(this.trx, false)): Promise<void> {
    const { shard } = this;
    const senders = [...this.senderDeltas.values()]
      .filter((d) => d.bytes !== 0)
      .sort((a, b) => compareKeys(a.appId, b.appId) || compareKeys(a.uid, b.uid));
    for (let i = 0; i < senders.length; i += CHUNK) {
      await writes.add(
        this.trx
          .insertInto('inbox_storage_by_sender')
          .values(senders.slice(i, i + CHUNK).map((d) => ({ app_id: d.appId, sender: d.uid, shard, bytes: d.bytes })))
          .onConflict((oc) =>
            oc
              .columns(['app_id', 'sender', 'shard'])
              .doUpdateSet((eb) => ({ bytes: eb('inbox_storage_by_sender.bytes', '+', eb.ref('excluded.bytes')) })),
          ),
      );
    }
    for (const [appId, bytes] of [...this.appDeltas].sort(([a], [b]) => compareKeys(a, b))) {
      if (bytes === 0) continue;
      await writes.add(
        this.trx
          .insertInto('inbox_storage_by_app')
          .values({ app_id: appId, shard, bytes })
          .onConflict((oc) =>
            oc
              .columns(['app_id', 'shard'])
              .doUpdateSet((eb) => ({ bytes: eb('inbox_storage_by_app.bytes', '+', eb.ref('excluded.bytes')) })),
          ),
      );
    }
    // The rows that fell to zero are found only once the additions above are in.
    await writes.flush();
    const freedBy = new Map<string, string[]>();
    for (const d of senders) {
      if (d.bytes >= 0) continue;
      let list = freedBy.get(d.appId);
      if (!list) freedBy.set(d.appId, (list = []));
      list.push(d.uid);
    }
    for (const [appId, uids] of freedBy) {
      for (let i = 0; i < uids.length; i += 500) {
        await this.trx
          .deleteFrom('inbox_storage_by_sender')
          .where('app_id', '=', appId)
          .where('sender', 'in', uids.slice(i, i + 500))
          .where('shard', '=', shard)
          .where('bytes', '=', 0)
          .execute();
      }
    }
  }
}
