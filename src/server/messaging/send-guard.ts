import { CloseCode } from '../../protocol/index.js';
import type { ClientConnection } from '../connections.js';
import type { SharedRateLimiter, SharedRateLimiterFactory } from '../cluster/shared-limits.js';
import { secondsToWait } from '../rate-limit.js';
import type { ResolvedMessagingOptions } from './options.js';
import { RateLimitedError } from './rate-limited-error.js';
import { compositeKey } from '../composite-key.js';

/** Refusals within this window that mark a connection as abusive. */
const ABUSE_WINDOW_MS = 10_000;
const ABUSE_REFUSALS = 500;

/**
 * Per-user rate limits (a token bucket: burst, then sustained) for sends, pushes and receipts.
 * A refusal carries the delay; a connection that keeps sending regardless is closed with 1008.
 * Other users have their own buckets and are unaffected. Between nodes the buckets are shared, so
 * tabs of one user on several nodes share one rate.
 */
export class SendGuard {
  private readonly sends: SharedRateLimiter;
  private readonly receipts: SharedRateLimiter;
  private readonly reads: SharedRateLimiter;
  private readonly refusals = new WeakMap<ClientConnection, { since: number; count: number }>();

  constructor(options: ResolvedMessagingOptions, rateLimiter: SharedRateLimiterFactory) {
    this.sends = rateLimiter('sends', options.sendRate.burst, options.sendRate.perSecond);
    this.receipts = rateLimiter('receipts', options.receiptRate.burst, options.receiptRate.perSecond);
    // History pages: as many as receipts, in their own bucket.
    this.reads = rateLimiter('history', options.receiptRate.burst, options.receiptRate.perSecond);
  }

  takeSend(connection: ClientConnection): Promise<void> {
    return this.take(this.sends, connection, 'messages');
  }

  takeReceipt(connection: ClientConnection): Promise<void> {
    return this.take(this.receipts, connection, 'acknowledgements');
  }

  takeHistory(connection: ClientConnection): Promise<void> {
    return this.take(this.reads, connection, 'history pages');
  }

  private async take(limiter: SharedRateLimiter, connection: ClientConnection, what: string): Promise<void> {
    const waitMs = await limiter.takeMs(compositeKey(connection.appId, connection.uid));
    if (waitMs === 0) return;
    const wait = secondsToWait(waitMs);
    const now = Date.now();
    let record = this.refusals.get(connection);
    if (!record || now - record.since > ABUSE_WINDOW_MS)
      this.refusals.set(connection, (record = { since: now, count: 0 }));
    if (++record.count > ABUSE_REFUSALS) connection.close(CloseCode.PolicyViolation, 'rate limit ignored');
    throw new RateLimitedError(what, wait);
  }
}
