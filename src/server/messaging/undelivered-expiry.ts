import { setImmediate as nextTurn } from 'node:timers/promises';
import type { FastifyBaseLogger } from 'fastify';
import type { Store } from '../store/types.js';

const DAY_MS = 24 * 3600_000;

export interface UndeliveredExpiryOptions {
  /** Kept this long when the app sets no `messageTtlDays` of its own. */
  readonly defaultTtlMs: number;
  readonly intervalMs: number;
  /** Entries per transaction. */
  readonly batchSize: number;
}

/**
 * Deletes undelivered inbox entries older than their app's TTL, so mail for users who never sign
 * in does not stay forever. Each run visits every app (and apps deleted since that still hold
 * messages) and deletes in short transactions of `batchSize` rows, yielding to the event loop
 * between them; the store frees the entries' storage quota in the same transaction.
 */
export class UndeliveredExpiry {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<number> | undefined;
  private stopped = false;

  constructor(
    private readonly store: Store,
    private readonly options: UndeliveredExpiryOptions,
    private readonly log: FastifyBaseLogger,
  ) {}

  start(): void {
    this.timer = setInterval(() => {
      if (this.running) return;
      this.sweep().catch((e: unknown) =>
        this.log.warn({ err: e instanceof Error ? e.message : String(e) }, 'undelivered expiry sweep failed'),
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

  /** One run (a run already going is joined, not doubled); resolves with the entries deleted. */
  sweep(now = Date.now()): Promise<number> {
    this.running ??= this.run(now).finally(() => (this.running = undefined));
    return this.running;
  }

  private async run(now: number): Promise<number> {
    const ttlByApp = new Map<string, number>();
    for (const app of await this.store.apps.list()) {
      ttlByApp.set(app.id, app.messageTtlDays === undefined ? this.options.defaultTtlMs : app.messageTtlDays * DAY_MS);
    }
    for (const appId of await this.store.messages.appsWithStoredMessages()) {
      if (!ttlByApp.has(appId)) ttlByApp.set(appId, this.options.defaultTtlMs);
    }
    let total = 0;
    for (const [appId, ttlMs] of ttlByApp) {
      for (;;) {
        if (this.stopped) return total;
        const removed = await this.store.messages.expire(appId, now - ttlMs, this.options.batchSize);
        total += removed;
        if (removed < this.options.batchSize) break;
        // Sends and acknowledgements get the database between batches.
        await nextTurn();
      }
    }
    if (total > 0) this.log.info({ entries: total }, 'expired undelivered inbox entries');
    return total;
  }
}
