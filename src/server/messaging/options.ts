import { resolvePushOptions, type PushOptions, type ResolvedPushOptions } from './push/push-options.js';
import { resolveStorageOptions, type ResolvedStorageOptions, type StorageOptions } from './storage-options.js';

/** `createServer({ messaging })`: limits, retention and push. Every field has a default. */
export interface MessagingOptions {
  /** Sends (and pushes) per user: bucket size and refill per second. Default 200 and 100/s. */
  sendRate?: { burst: number; perSecond: number };
  /** Receipts per user. Default 400 and 200/s. */
  receiptRate?: { burst: number; perSecond: number };
  /** Most entries waiting in one recipient's inbox; a send beyond it is refused. Default 10,000. */
  inboxQuota?: number;
  /** How long a stored message's client id is remembered for retries (at least 30 minutes). Default 7 days. */
  dedupeWindowMs?: number;
  /** Push a message to recipients that have no messaging connection. Default true. */
  pushOffline?: boolean;
  /** Push targets (allowed hosts, never private addresses) and limits: see push/push-options.ts. */
  push?: PushOptions;
  /** Storage quotas per sender and app, new recipients per sender and hour, expiry of undelivered entries: see storage-options.ts. */
  storage?: StorageOptions;
}

export interface ResolvedMessagingOptions {
  readonly sendRate: { burst: number; perSecond: number };
  readonly receiptRate: { burst: number; perSecond: number };
  readonly inboxQuota: number;
  readonly dedupeWindowMs: number;
  readonly pushOffline: boolean;
  readonly push: ResolvedPushOptions;
  readonly storage: ResolvedStorageOptions;
}

const THIRTY_MINUTES = 30 * 60_000;

export function resolveMessagingOptions(options: MessagingOptions = {}): ResolvedMessagingOptions {
  return {
    sendRate: options.sendRate ?? { burst: 200, perSecond: 100 },
    receiptRate: options.receiptRate ?? { burst: 400, perSecond: 200 },
    inboxQuota: options.inboxQuota ?? 10_000,
    // A shorter window would let a late retry store a message twice.
    dedupeWindowMs: Math.max(THIRTY_MINUTES, options.dedupeWindowMs ?? 7 * 24 * 3600_000),
    pushOffline: options.pushOffline ?? true,
    push: resolvePushOptions(options.push),
    storage: resolveStorageOptions(options.storage),
  };
}
