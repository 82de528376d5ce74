import type { FastifyBaseLogger } from 'fastify';
import pLimit, { type LimitFunction } from 'p-limit';
import { RateLimiter } from '../../rate-limit.js';
import { compositeKey } from '../../composite-key.js';

/** At most one "queue full" warning per this long; it says how many were dropped since the last. */
const DROP_LOG_INTERVAL_MS = 10_000;

export interface PushThrottleOptions {
  readonly maxInFlight: number;
  readonly maxQueued: number;
  readonly perRecipientPerMinute: number;
}

/**
 * The server's outbound push budget: at most `maxInFlight` pushes at once with at most
 * `maxQueued` waiting (beyond that a push is dropped and logged, so a flood of sends costs
 * bounded memory and connections), and at most `perRecipientPerMinute` pushes to one user.
 */
export class PushThrottle {
  private readonly slots: LimitFunction;
  private readonly recipients: RateLimiter;
  private droppedSinceLog = 0;
  private lastDropLog = 0;

  constructor(
    private readonly options: PushThrottleOptions,
    private readonly log: FastifyBaseLogger,
  ) {
    this.slots = pLimit(options.maxInFlight);
    this.recipients = new RateLimiter(options.perRecipientPerMinute, options.perRecipientPerMinute / 60);
  }

  /** The users that may be pushed to now (each takes one of its tokens); the rest are over their limit. */
  admit(appId: string, uids: readonly string[]): { admitted: string[]; limited: number } {
    const admitted = uids.filter((uid) => this.recipients.take(compositeKey(appId, uid)) === 0);
    return { admitted, limited: uids.length - admitted.length };
  }

  /** Runs one push when a slot is free; undefined (dropped, logged) when the queue is full. */
  run<T>(push: () => Promise<T>): Promise<T> | undefined {
    if (this.slots.activeCount + this.slots.pendingCount >= this.options.maxInFlight + this.options.maxQueued) {
      this.dropped();
      return undefined;
    }
    return this.slots(push);
  }

  private dropped(): void {
    this.droppedSinceLog++;
    const now = Date.now();
    if (now - this.lastDropLog < DROP_LOG_INTERVAL_MS) return;
    this.log.warn(
      { dropped: this.droppedSinceLog, maxInFlight: this.options.maxInFlight, maxQueued: this.options.maxQueued },
      'push queue full: pushes dropped',
    );
    this.droppedSinceLog = 0;
    this.lastDropLog = now;
  }
}
