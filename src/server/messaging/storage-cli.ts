import { FileLimits } from '../../protocol/index.js';
import { MAX_FILE_QUOTA, MESSAGE_TTL_DAYS } from '../apps.js';
import { HISTORY_DAYS } from '../store/history-store.js';
import type { StorageOptions } from './storage-options.js';

/** `oovoo-server` flags of the messaging storage bounds (spread into the CLI's parseArgs options). */
export const STORAGE_CLI_OPTIONS = {
  'sender-storage-mb': { type: 'string' },
  'app-storage-mb': { type: 'string' },
  'new-recipients-per-hour': { type: 'string' },
  'message-ttl-days': { type: 'string' },
  days: { type: 'string' },
  'max-mb': { type: 'string' },
  'quota-mb': { type: 'string' },
} as const;

/** Lines of the CLI's usage text. */
export const STORAGE_CLI_USAGE_START = `                     [--sender-storage-mb 64] [--app-storage-mb 1024] [--new-recipients-per-hour 1000] [--message-ttl-days 30]`;
export const STORAGE_CLI_USAGE_APP = `  oovoo-server app message-ttl --app APP_ID --days N|default [--json]   (days undelivered messages wait; default: the server's)
  oovoo-server app history --app APP_ID --days N [--json]   (days conversations' history is kept, default 30; 0 keeps none)
  oovoo-server app files --app APP_ID [--max-mb N] [--quota-mb N] [--json]   (largest chat file, default 10, at most 100; files one user keeps, default 200; 0 refuses uploads)`;
export const STORAGE_CLI_USAGE_NOTES = `Messaging storage: --sender-storage-mb and --app-storage-mb cap the undelivered messages one sender and one app hold
(0: no cap); --new-recipients-per-hour caps the distinct people a sender messages for the first time in an hour (0: no cap);
--message-ttl-days is how long undelivered messages wait when their app sets no TTL. Also from $OOVOO_SENDER_STORAGE_MB,
$OOVOO_APP_STORAGE_MB, $OOVOO_NEW_RECIPIENTS_PER_HOUR and $OOVOO_MESSAGE_TTL_DAYS.`;

type Values = { readonly [K in keyof typeof STORAGE_CLI_OPTIONS]?: string };

const MB = 1024 * 1024;

function wholeNumber(
  raw: string | undefined,
  flag: string,
  min: number,
  max: number,
  usageError: (message: string) => Error,
): number | undefined {
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (raw.trim() === '' || !Number.isInteger(n) || n < min || n > max)
    throw usageError(`--${flag} must be an integer from ${min} to ${max}`);
  return n;
}

/** The storage options the start flags (or their environment variables) give; what is absent keeps its default. */
export function storageOptionsFromCli(
  values: Values,
  usageError: (message: string) => Error,
  env: NodeJS.ProcessEnv = process.env,
): StorageOptions {
  const offWhenZero = (n: number | undefined, unit: number) =>
    n === undefined ? undefined : n === 0 ? Infinity : n * unit;
  const senderMb = wholeNumber(
    values['sender-storage-mb'] ?? env.OOVOO_SENDER_STORAGE_MB,
    'sender-storage-mb',
    0,
    1024 * 1024,
    usageError,
  );
  const appMb = wholeNumber(
    values['app-storage-mb'] ?? env.OOVOO_APP_STORAGE_MB,
    'app-storage-mb',
    0,
    1024 * 1024 * 1024,
    usageError,
  );
  const recipients = wholeNumber(
    values['new-recipients-per-hour'] ?? env.OOVOO_NEW_RECIPIENTS_PER_HOUR,
    'new-recipients-per-hour',
    0,
    10_000_000,
    usageError,
  );
  const ttlDays = wholeNumber(
    values['message-ttl-days'] ?? env.OOVOO_MESSAGE_TTL_DAYS,
    'message-ttl-days',
    MESSAGE_TTL_DAYS.min,
    MESSAGE_TTL_DAYS.max,
    usageError,
  );
  const options: StorageOptions = {};
  const sender = offWhenZero(senderMb, MB);
  if (sender !== undefined) options.senderQuotaBytes = sender;
  const app = offWhenZero(appMb, MB);
  if (app !== undefined) options.appQuotaBytes = app;
  const perHour = offWhenZero(recipients, 1);
  if (perHour !== undefined) options.newRecipientsPerWindow = perHour;
  if (ttlDays !== undefined) options.undeliveredTtlMs = ttlDays * 24 * 3600_000;
  return options;
}

/** `app message-ttl --days N|default`: days, or null for the server's default. */
export function messageTtlDaysFromCli(values: Values, usageError: (message: string) => Error): number | null {
  const raw = values.days;
  if (raw === undefined) throw usageError('--days is required (a number of days, or default)');
  if (raw === 'default') return null;
  return wholeNumber(raw, 'days', MESSAGE_TTL_DAYS.min, MESSAGE_TTL_DAYS.max, usageError)!;
}

/** `app history --days N`: days of conversation history the app keeps (0: none). */
export function historyDaysFromCli(values: Values, usageError: (message: string) => Error): number {
  const raw = values.days;
  if (raw === undefined) throw usageError('--days is required (a number of days; 0 keeps no history)');
  return wholeNumber(raw, 'days', HISTORY_DAYS.min, HISTORY_DAYS.max, usageError)!;
}

/** `app files --max-mb N --quota-mb N`: the app's largest chat file and per-user quota, in bytes (at least one). */
export function fileLimitsFromCli(
  values: Values,
  usageError: (message: string) => Error,
): { maxBytes?: number; quotaBytes?: number } {
  const maxMb = wholeNumber(values['max-mb'], 'max-mb', 1, FileLimits.maxMaxBytes / MB, usageError);
  const quotaMb = wholeNumber(values['quota-mb'], 'quota-mb', 0, MAX_FILE_QUOTA / MB, usageError);
  if (maxMb === undefined && quotaMb === undefined)
    throw usageError('--max-mb or --quota-mb is required (the largest file, or what one user may keep, in MB)');
  return {
    ...(maxMb === undefined ? {} : { maxBytes: maxMb * MB }),
    ...(quotaMb === undefined ? {} : { quotaBytes: quotaMb * MB }),
  };
}
