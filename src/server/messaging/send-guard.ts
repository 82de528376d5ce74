import { CloseCode } from '../../protocol/index.js';
import type { ClientConnection } from '../connections.js';
import { RateLimiter } from '../rate-limit.js';
import type { ResolvedMessagingOptions } from './options.js';
import { RateLimitedError } from './rate-limited-error.js';
import { compositeKey } from '../composite-key.js';

/** Refusals within this window that mark a connection as abusive. */
const ABUSE_WINDOW_MS = 10_000;
const ABUSE_REFUSALS = 500;

/**
 * Per-user rate limits (a token bucket: burst, then sustained) for sends, pushes and receipts.
 * A refusal carries the delay; a connection that keeps sending regardless is closed with 1008.
 * Other users have their own buckets and are unaffected.
 */
export class SendGuard {
  private readonly sends: RateLimiter;
  private readonly receipts: RateLimiter;
  private readonly refusals = new WeakMap<ClientConnection, { since: number; count: number }>();

  constructor(options: ResolvedMessagingOptions) {
    this.sends = new RateLimiter(options.sendRate.burst, options.sendRate.perSecond);
    this.receipts = new RateLimiter(options.receiptRate.burst, options.receiptRate.perSecond);
  }

  takeSend(connection: ClientConnection): void {
    this.take(this.sends, connection, 'messages');
  }

  takeReceipt(connection: ClientConnection): void {
    this.take(this.receipts, connection, 'acknowledgements');
  }

  private take(limiter: RateLimiter, connection: ClientConnection, what: string): void {
    const wait = limiter.take(compositeKey(connection.appId, connection.uid));
    if (wait === 0) return;
    const now = Date.now();
    let record = this.refusals.get(connection);
    if (!record || now - record.since > ABUSE_WINDOW_MS)
      this.refusals.set(connection, (record = { since: now, count: 0 }));
    if (++record.count > ABUSE_REFUSALS) connection.close(CloseCode.PolicyViolation, 'rate limit ignored');
    throw new RateLimitedError(what, wait);
  }
}
