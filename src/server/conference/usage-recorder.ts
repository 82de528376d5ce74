import type { FastifyBaseLogger } from 'fastify';
import type { ConferenceUsageDelta, ConferenceUsageStore } from '../store/conference-usage.js';

/** Writes conference usage per app and UTC day; a failed write is logged, never thrown at a caller. */
export class UsageRecorder {
  private pending = new Set<Promise<void>>();

  constructor(
    private readonly usage: () => ConferenceUsageStore,
    private readonly log: FastifyBaseLogger,
  ) {}

  record(appId: string, delta: ConferenceUsageDelta, at = Date.now()): void {
    const day = new Date(at).toISOString().slice(0, 10);
    const write = this.usage()
      .add(appId, day, delta)
      .catch((err: unknown) => this.log.error({ err: err instanceof Error ? err.message : String(err), appId }, 'conference usage write failed'))
      .finally(() => this.pending.delete(write));
    this.pending.add(write);
  }

  /** Waits for the writes in flight (before the store closes). */
  async flush(): Promise<void> {
    await Promise.all([...this.pending]);
  }
}
