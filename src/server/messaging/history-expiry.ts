import type { FastifyBaseLogger } from 'fastify';
import { HISTORY_DAYS } from '../store/history-store.js';
import type { Store } from '../store/types.js';
import { PeriodicSweep, type PeriodicSweepOptions } from './periodic-sweep.js';

const DAY_MS = 24 * 3600_000;

export type HistoryExpiryOptions = PeriodicSweepOptions;

/**
 * Deletes conversation history older than its app keeps (`history_days`; 0 empties it, and an app
 * deleted since keeps the default), on the inbox expiry's schedule and batches (periodic-sweep.ts).
 */
export class HistoryExpiry extends PeriodicSweep {
  protected readonly logs = {
    fields: (rows: number) => ({ rows }),
    expired: 'expired conversation history',
    failed: 'history expiry sweep failed',
  };

  constructor(
    private readonly store: Store,
    options: HistoryExpiryOptions,
    log: FastifyBaseLogger,
  ) {
    super(options, log);
  }

  protected async ages(): Promise<Map<string, number>> {
    const days = new Map<string, number>();
    for (const app of await this.store.apps.list()) days.set(app.id, app.historyDays ?? HISTORY_DAYS.default);
    for (const appId of await this.store.history.appsWithHistory()) {
      if (!days.has(appId)) days.set(appId, HISTORY_DAYS.default);
    }
    return new Map([...days].map(([appId, d]) => [appId, d * DAY_MS]));
  }

  protected expire(appId: string, before: number, limit: number): Promise<number> {
    return this.store.history.expire(appId, before, limit);
  }
}
