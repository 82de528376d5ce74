import { setImmediate as nextTurn } from 'node:timers/promises';
import type { FastifyBaseLogger } from 'fastify';
import { HISTORY_DAYS } from '../store/history-store.js';
import type { Store } from '../store/types.js';

const DAY_MS = 24 * 3600_000;

export interface HistoryExpiryOptions {
  readonly intervalMs: number;
  /** Rows per statement. */
  readonly batchSize: number;
}

/**
 * Deletes conversation history older than its app keeps (`history_days`; 0 empties it, and an app
 * deleted since keeps the default). Like the inbox's expiry (undelivered-expiry.ts): every app, in
 * short statements of `batchSize` rows, yielding to the event loop between them.
 */
export class HistoryExpiry {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<number> | undefined;
  private stopped = false;

  constructor(
    private readonly store: Store,
    private readonly options: HistoryExpiryOptions,
    private readonly log: FastifyBaseLogger,
  ) {}

  start(): void {
    this.timer = setInterval(() => {
      if (this.running) return;
      this.sweep().catch((e: unknown) =>
        this.log.warn({ err: e instanceof Error ? e.message : String(e) }, 'history expiry sweep failed'),
      );
    }, this.options.intervalMs);
    this.timer.unref();
  }

  /** Stops the timer and waits for a run in progress (it ends after its current batch). */
  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await this.running?.catch(() => undefined);
  }

  /** One run (a run already going is joined); resolves with the rows deleted. */
  sweep(now = Date.now()): Promise<number> {
    this.running ??= this.run(now).finally(() => (this.running = undefined));
    return this.running;
  }

  private async run(now: number): Promise<number> {
    const daysByApp = new Map<string, number>();
    for (const app of await this.store.apps.list()) daysByApp.set(app.id, app.historyDays ?? HISTORY_DAYS.default);
    for (const appId of await this.store.history.appsWithHistory()) {
      if (!daysByApp.has(appId)) daysByApp.set(appId, HISTORY_DAYS.default);
    }
    let total = 0;
    for (const [appId, days] of daysByApp) {
      for (;;) {
        if (this.stopped) return total;
        const removed = await this.store.history.expire(appId, now - days * DAY_MS, this.options.batchSize);
        total += removed;
        if (removed < this.options.batchSize) break;
        await nextTurn();
      }
    }
    if (total > 0) this.log.info({ rows: total }, 'expired conversation history');
    return total;
  }
}
