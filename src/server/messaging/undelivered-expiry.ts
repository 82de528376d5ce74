import type { FastifyBaseLogger } from 'fastify';
import type { Store } from '../store/types.js';
import { PeriodicSweep, type PeriodicSweepOptions } from './periodic-sweep.js';

const DAY_MS = 24 * 3600_000;

export interface UndeliveredExpiryOptions extends PeriodicSweepOptions {
  /** Kept this long when the app sets no `messageTtlDays` of its own. */
  readonly defaultTtlMs: number;
}

/**
 * Deletes undelivered inbox entries older than their app's TTL, so mail for users who never sign
 * in does not stay forever. Each run visits every app (and apps deleted since that still hold
 * messages); the store frees the entries' storage quota in the same transaction.
 */
export class UndeliveredExpiry extends PeriodicSweep {
  protected readonly logs = {
    fields: (entries: number) => ({ entries }),
    expired: 'expired undelivered inbox entries',
    failed: 'undelivered expiry sweep failed',
  };

  constructor(
    private readonly store: Store,
    private readonly expiryOptions: UndeliveredExpiryOptions,
    log: FastifyBaseLogger,
  ) {
    super(expiryOptions, log);
  }

  protected async ages(): Promise<Map<string, number>> {
    const { defaultTtlMs } = this.expiryOptions;
    const ttlByApp = new Map<string, number>();
    for (const app of await this.store.apps.list()) {
      ttlByApp.set(app.id, app.messageTtlDays === undefined ? defaultTtlMs : app.messageTtlDays * DAY_MS);
    }
    for (const appId of await this.store.messages.appsWithStoredMessages()) {
      if (!ttlByApp.has(appId)) ttlByApp.set(appId, defaultTtlMs);
    }
    return ttlByApp;
  }

  protected expire(appId: string, before: number, limit: number): Promise<number> {
    return this.store.messages.expire(appId, before, limit);
  }
}
