import type { AcknowledgeStateValue, FileInfo, MessageFileRef } from '../../protocol/index.js';
import type { StorageQuotas } from './inbox-storage.js';

/** Tables of the messaging module, as Kysely sees them. Times are milliseconds since the epoch. */
export interface MessagingTables {
  /** One row per stored message: the dedupe key (sender's client id) and who may send receipts for it. */
  messages: {
    app_id: string;
    msg_id: string;
    sender: string;
    client_id: string | null;
    /** JSON array of recipient user ids. */
    recipients: string;
    created_at: number;
  };
  /** Each recipient's entries, ordered by `seq`: pending until a client of the recipient took one, then kept a short while (inbox-received.ts). */
  message_inbox: {
    seq: number;
    app_id: string;
    uid: string;
    /** What the client acknowledges and dedupes by: the msg_id of a message, `msg_id|reader|state` of a receipt. */
    entry_id: string;
    kind: string;
    msg_id: string;
    from_uid: string;
    body: string | null;
    state: string | null;
    created_at: number;
    /** What a message entry counts in the storage quotas (body plus row overhead); 0 for a receipt. */
    bytes: number;
    /** JSON of the FileInfo[] a message carries; null when none (file-store.ts). */
    files: string | null;
    /** When a client of the recipient took it (ms); null while pending. */
    received_at: number | null;
  };
  /** The furthest receipt state each recipient reported for a message: Read only moves forward. */
  message_receipts: {
    app_id: string;
    msg_id: string;
    uid: string;
    /** 1 Delivered, 2 Read. */
    rank: number;
    updated_at: number;
  };
  push_subscriptions: {
    app_id: string;
    endpoint: string;
    uid: string;
    /** Which provider delivers it: `web` (Web Push); native providers plug in beside it. */
    kind: string;
    p256dh: string;
    auth: string;
    created_at: number;
  };
  usage_messaging_daily: {
    app_id: string;
    /** YYYY-MM-DD, UTC. */
    day: string;
    sent: number;
    delivered: number;
    pushes: number;
    /** Which of a day's rows: several writers add to different ones (several-writers-migrations.ts). */
    shard: number;
  };
}

export type InboxEntry =
  | {
      readonly seq: number;
      readonly kind: 'message';
      readonly id: string;
      readonly msgId: string;
      readonly from: string;
      readonly body: string;
      readonly createdAt: number;
      /** The files it carries, checked and filled in by its commit. */
      readonly files?: readonly FileInfo[];
    }
  | {
      readonly seq: number;
      readonly kind: 'receipt';
      readonly id: string;
      readonly msgId: string;
      readonly from: string;
      readonly state: AcknowledgeStateValue;
      readonly createdAt: number;
    }
  | {
      readonly seq: number;
      /** `from` deleted message `msgId` for everyone; `id` is `msgId|deleted`. */
      readonly kind: 'deleted';
      readonly id: string;
      readonly msgId: string;
      readonly from: string;
      readonly createdAt: number;
    };

/** An inbox entry that was just stored for one recipient. */
export interface StoredDelivery {
  readonly appId: string;
  readonly uid: string;
  readonly entry: InboxEntry;
}

export interface SendOp {
  readonly kind: 'send';
  readonly appId: string;
  readonly sender: string;
  /** The sender's retry key; a second send with it returns the first msg_id and stores nothing. */
  readonly clientId?: string;
  readonly msgId: string;
  /** Distinct recipients. */
  readonly to: readonly string[];
  readonly body: string;
  readonly createdAt: number;
  /** Uploads it carries (file-store.ts checkFiles): each the sender's own, to this conversation, unsent. */
  readonly files?: readonly MessageFileRef[];
}

export interface ReceiptOp {
  readonly kind: 'receipt';
  readonly appId: string;
  /** The recipient of the message who reports the state. */
  readonly from: string;
  readonly to: readonly string[];
  readonly msgId: string;
  readonly state: AcknowledgeStateValue;
  readonly createdAt: number;
}

export interface RemoveOp {
  readonly kind: 'remove';
  readonly appId: string;
  readonly uid: string;
  readonly ids: readonly string[];
}

/**
 * The sender deletes a message for everyone (history-batch.ts): its history row is emptied, its
 * pending inbox entries go, and each of `to` (the other people of the conversation) gets a `deleted` entry.
 */
export interface DeleteOp {
  readonly kind: 'delete';
  readonly appId: string;
  readonly sender: string;
  readonly msgId: string;
  readonly to: readonly string[];
  readonly createdAt: number;
}

export type MessagingOp = SendOp | ReceiptOp | RemoveOp | DeleteOp;

export type MessagingOpResult =
  | {
      readonly ok: true;
      readonly kind: 'send';
      readonly msgId: string;
      readonly duplicate: boolean;
      readonly recipients: readonly string[];
    }
  | { readonly ok: true; readonly kind: 'receipt'; readonly forwarded: boolean }
  | { readonly ok: true; readonly kind: 'remove' }
  | { readonly ok: true; readonly kind: 'delete' }
  | { readonly ok: false; readonly code: number; readonly description: string; readonly retryAfterMs?: number };

/** What a commit enforces. */
export interface CommitLimits extends StorageQuotas {
  /** Most entries waiting in one recipient's inbox. */
  readonly inboxQuota: number;
  /**
   * Last check of a send that passed every other one (never called for a retried send that was
   * already stored). Returns a refusal, or undefined to store it.
   */
  readonly admitSend?: (op: SendOp) => Extract<MessagingOpResult, { ok: false }> | undefined;
}

export interface MessagingCommit {
  /** One result per op, in order. */
  readonly results: readonly MessagingOpResult[];
  /** Inbox entries stored by this commit, in seq order. */
  readonly deliveries: readonly StoredDelivery[];
}

export interface MessagingUsageDay {
  readonly appId: string;
  readonly day: string;
  readonly sent: number;
  readonly delivered: number;
  readonly pushes: number;
}

/**
 * Durable messaging. `commit` applies many operations in one transaction (group commit): when it
 * resolves, every stored entry is on disk. An op that breaks a rule changes nothing and gets an
 * error result; the others still commit.
 */
export interface MessagingStore {
  commit(ops: readonly MessagingOp[], limits: CommitLimits): Promise<MessagingCommit>;
  /**
   * A recipient's entries after `afterSeq`, oldest first: the pending ones and those a client took
   * at or after `takenSince` (ms), which a connection open since then has not necessarily seen.
   */
  pending(appId: string, uid: string, afterSeq: number, limit: number, takenSince?: number): Promise<InboxEntry[]>;
  /** How many entries wait for this recipient. */
  pendingCount(appId: string, uid: string): Promise<number>;
  /** The stored message, if any (tests and the portal). */
  getMessage(
    appId: string,
    msgId: string,
  ): Promise<{ sender: string; recipients: string[]; clientId: string | null } | undefined>;
  /** How many messages an app has stored. */
  countMessages(appId: string): Promise<number>;
  /** Forgets messages older than `before` that no inbox still holds (ends their dedupe window). */
  sweep(before: number): Promise<number>;
  /**
   * Deletes at most `limit` of an app's pending inbox entries (messages and receipts) created before
   * `before`, oldest first, in one short transaction; frees their quota. Returns how many went.
   */
  expire(appId: string, before: number, limit: number): Promise<number>;
  /** Deletes at most `limit` entries a client took before `before`; returns how many went. */
  forgetReceived(before: number, limit: number): Promise<number>;
  /** Bytes of undelivered messages an app holds in the store, or one sender of it. */
  storedBytes(appId: string, sender?: string): Promise<number>;
  /** Apps that hold undelivered messages (including apps deleted since). */
  appsWithStoredMessages(): Promise<string[]>;
  addPushes(appId: string, count: number, at: number): Promise<void>;
  usage(appId: string): Promise<MessagingUsageDay[]>;
}

export interface PushSubscriptionRecord {
  readonly appId: string;
  readonly uid: string;
  readonly endpoint: string;
  readonly kind: string;
  readonly p256dh: string;
  readonly auth: string;
  readonly createdAt: number;
}

export interface PushStore {
  /** Stores (or moves to this user) a subscription; keeps at most `maxPerUser`, dropping the oldest. */
  save(subscription: PushSubscriptionRecord, maxPerUser: number): Promise<void>;
  forUsers(appId: string, uids: readonly string[]): Promise<PushSubscriptionRecord[]>;
  /** Returns false when there was no such subscription. */
  remove(appId: string, endpoint: string, uid?: string): Promise<boolean>;
}
