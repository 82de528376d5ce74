import type { FastifyBaseLogger } from 'fastify';
import { FileLimits } from '../../protocol/index.js';
import { PeriodicSweep, type PeriodicSweepOptions } from '../messaging/periodic-sweep.js';
import { HISTORY_DAYS } from '../store/history-store.js';
import type { Store } from '../store/types.js';
import type { FileBytes } from './file-bytes.js';

const DAY_MS = 24 * 3600_000;
/** A partial upload older than this was cut by a crash (an upload lasts at most 30 min: --upload-timeout). */
const PARTIAL_MAX_AGE_MS = 3600_000;
/** Files of sent messages in an app that keeps no history live as long as an undelivered message waits (its default). */
const NO_HISTORY_FILE_DAYS = 30;

/**
 * Removing files: their bytes first, then their rows, so a crash between the two leaves a row the
 * next sweep finds again, never bytes that nothing names.
 */
export class FileRemover {
  constructor(
    private readonly store: Store,
    private readonly bytes: FileBytes,
  ) {}

  async remove(appId: string, ids: readonly string[]): Promise<number> {
    if (ids.length === 0) return 0;
    await this.bytes.remove(appId, ids);
    return this.store.files.remove(appId, ids);
  }

  /** A message deleted for everyone takes its files with it. */
  async removeForMessage(appId: string, msgId: string): Promise<number> {
    return this.remove(appId, await this.store.files.ofMessage(appId, msgId));
  }
}

export interface FileExpiryOptions extends PeriodicSweepOptions {
  /** Uploads named in no message go after this (default FileLimits.unsentTtlMs). */
  readonly unsentTtlMs?: number;
}

/**
 * Ends files on the history's schedule (periodic-sweep.ts): `sent` files when their message
 * leaves the history (the app's `history_days`; an app that keeps none keeps its files for
 * {@link NO_HISTORY_FILE_DAYS} days, so recipients can still fetch what was delivered), and
 * `unsent` uploads after `unsentTtlMs` (a canceled or abandoned send), with partial uploads a crash left.
 */
export class FileExpiry extends PeriodicSweep {
  protected readonly logs = {
    fields: (files: number) => ({ files, kind: this.kind }),
    expired: 'expired chat files',
    failed: 'file expiry sweep failed',
  };

  constructor(
    private readonly kind: 'sent' | 'unsent',
    private readonly store: Store,
    private readonly bytes: FileBytes,
    private readonly remover: FileRemover,
    options: FileExpiryOptions,
    log: FastifyBaseLogger,
  ) {
    super(options, log);
  }

  protected async ages(): Promise<Map<string, number>> {
    const ages = new Map<string, number>();
    const apps = await this.store.files.appsWithFiles();
    if (this.kind === 'unsent') {
      await this.bytes.sweepPartial(Date.now() - PARTIAL_MAX_AGE_MS);
      const ttl = (this.options as FileExpiryOptions).unsentTtlMs ?? FileLimits.unsentTtlMs;
      for (const appId of apps) ages.set(appId, ttl);
      return ages;
    }
    const kept = new Map((await this.store.apps.list()).map((a) => [a.id, a.historyDays ?? HISTORY_DAYS.default]));
    for (const appId of apps) {
      const days = kept.get(appId) ?? HISTORY_DAYS.default;
      ages.set(appId, (days > 0 ? days : NO_HISTORY_FILE_DAYS) * DAY_MS);
    }
    return ages;
  }

  protected async expire(appId: string, before: number, limit: number): Promise<number> {
    const ids = await this.store.files.expired(appId, this.kind, before, limit);
    await this.remover.remove(appId, ids);
    return ids.length;
  }
}
