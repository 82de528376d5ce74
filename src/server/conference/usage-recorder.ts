import type { FastifyBaseLogger } from 'fastify';
import type { ConferenceUsageDelta, ConferenceUsageStore } from '../store/conference-usage.js';
import { compositeKey } from '../composite-key.js';
import { utcDay } from '../utc-day.js';

interface PendingDay {
  readonly appId: string;
  readonly day: string;
  participantMs: number;
  conferences: number;
  peak: number;
}

/**
 * Conference usage per app and UTC day, summed in memory and written in batches: one write per
 * (app, day) per flush, never one per join or leave (with the SQLite store a write blocks the
 * event loop, so thousands of leaves at once would stall every connection). A failed write is
 * logged and its figures are kept for the next flush, never thrown at a caller.
 */
export class UsageRecorder {
  private pending = new Map<string, PendingDay>();
  private timer: NodeJS.Timeout | undefined;
  private writing: Promise<void> = Promise.resolve();

  constructor(
    private readonly usage: () => ConferenceUsageStore,
    private readonly log: FastifyBaseLogger,
    private readonly flushMs = 2000,
  ) {}

  record(appId: string, delta: ConferenceUsageDelta, at = Date.now()): void {
    const day = utcDay(at);
    this.merge(appId, day, delta);
    this.schedule();
  }

  /** Writes everything recorded so far; resolves when it (and any write before it) has landed. */
  flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    const batch = this.pending;
    this.pending = new Map();
    // Batches are written one after another, so a slow write never races the next.
    this.writing = this.writing.then(() => this.write(batch));
    return this.writing;
  }

  private async write(batch: Map<string, PendingDay>): Promise<void> {
    for (const entry of batch.values()) {
      const { appId, day, participantMs, conferences, peak } = entry;
      try {
        await this.usage().add(appId, day, { participantMs, conferences, peak });
      } catch (err) {
        this.log.error(
          { err: err instanceof Error ? err.message : String(err), appId },
          'conference usage write failed; kept for the next flush',
        );
        this.merge(appId, day, entry);
        this.schedule();
      }
    }
  }

  private schedule(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.flush();
    }, this.flushMs);
    this.timer.unref();
  }

  private merge(appId: string, day: string, delta: ConferenceUsageDelta): void {
    const key = compositeKey(appId, day);
    let entry = this.pending.get(key);
    if (!entry) this.pending.set(key, (entry = { appId, day, participantMs: 0, conferences: 0, peak: 0 }));
    entry.participantMs += delta.participantMs ?? 0;
    entry.conferences += delta.conferences ?? 0;
    entry.peak = Math.max(entry.peak, delta.peak ?? 0);
  }
}
