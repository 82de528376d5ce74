/**
 * `createServer({ messaging: { storage } })`: how much undelivered mail the store holds and for how
 * long. Every field has a default; `Infinity` turns a limit off.
 */
export interface StorageOptions {
  /**
   * Most bytes of undelivered messages one sender may hold in the store: each entry counts its
   * body's UTF-8 bytes plus 256 for its row, once per recipient. Default 64 MiB.
   */
  senderQuotaBytes?: number;
  /** Most bytes of undelivered messages one app may hold in the store. Default 1 GiB. */
  appQuotaBytes?: number;
  /** Most distinct recipients a sender may message for the first time within the window. Default 1,000. */
  newRecipientsPerWindow?: number;
  /** The window of `newRecipientsPerWindow`. Default one hour. */
  newRecipientWindowMs?: number;
  /** How long an undelivered inbox entry waits for its recipient when its app sets no TTL. Default 30 days. */
  undeliveredTtlMs?: number;
  /** How often the expiry sweep runs. Default 5 minutes. */
  sweepIntervalMs?: number;
  /** Entries the sweep deletes per transaction (each one short). Default 500. */
  sweepBatchSize?: number;
}

export interface ResolvedStorageOptions {
  readonly senderQuotaBytes: number;
  readonly appQuotaBytes: number;
  readonly newRecipientsPerWindow: number;
  readonly newRecipientWindowMs: number;
  readonly undeliveredTtlMs: number;
  readonly sweepIntervalMs: number;
  readonly sweepBatchSize: number;
}

const DAY_MS = 24 * 3600_000;

export const STORAGE_DEFAULTS: ResolvedStorageOptions = {
  senderQuotaBytes: 64 * 1024 * 1024,
  appQuotaBytes: 1024 * 1024 * 1024,
  newRecipientsPerWindow: 1000,
  newRecipientWindowMs: 3600_000,
  undeliveredTtlMs: 30 * DAY_MS,
  sweepIntervalMs: 5 * 60_000,
  sweepBatchSize: 500,
};

function positive(
  name: keyof StorageOptions,
  value: number | undefined,
  fallback: number,
  opts: { integer?: boolean; infinite?: boolean } = {},
): number {
  if (value === undefined) return fallback;
  const ok =
    typeof value === 'number' &&
    value > 0 &&
    (Number.isFinite(value) ? !opts.integer || Number.isInteger(value) : opts.infinite === true && value === Infinity);
  if (!ok)
    throw new Error(
      `messaging.storage.${name} must be a positive ${opts.integer ? 'integer' : 'number'}${opts.infinite ? ' or Infinity' : ''}`,
    );
  return value;
}

/** Fills defaults; throws on a value that is not a positive number (the message names the option). */
export function resolveStorageOptions(options: StorageOptions = {}): ResolvedStorageOptions {
  const d = STORAGE_DEFAULTS;
  return {
    senderQuotaBytes: positive('senderQuotaBytes', options.senderQuotaBytes, d.senderQuotaBytes, {
      integer: true,
      infinite: true,
    }),
    appQuotaBytes: positive('appQuotaBytes', options.appQuotaBytes, d.appQuotaBytes, { integer: true, infinite: true }),
    newRecipientsPerWindow: positive(
      'newRecipientsPerWindow',
      options.newRecipientsPerWindow,
      d.newRecipientsPerWindow,
      { integer: true, infinite: true },
    ),
    newRecipientWindowMs: positive('newRecipientWindowMs', options.newRecipientWindowMs, d.newRecipientWindowMs),
    undeliveredTtlMs: positive('undeliveredTtlMs', options.undeliveredTtlMs, d.undeliveredTtlMs),
    // Timers take at most about 24.8 days.
    sweepIntervalMs: Math.min(positive('sweepIntervalMs', options.sweepIntervalMs, d.sweepIntervalMs), 2 ** 31 - 1),
    sweepBatchSize: positive('sweepBatchSize', options.sweepBatchSize, d.sweepBatchSize, { integer: true }),
  };
}
