import { CloseCode, ErrorCode, MAX_FRAME_ID_LENGTH, errorInfo } from '../protocol/index.js';
import type { ClientConnection } from './connections.js';
import { RateLimiter } from './rate-limit.js';
import type { ResolvedSocketLimits } from './socket-limits.js';

/** The window in which refused frames count towards closing a connection. */
const REFUSAL_WINDOW_MS = 10_000;

/**
 * One token bucket for every frame a connection sends, whatever its type, checked before the
 * frame is parsed further or dispatched (reliability B3, F4). A frame over the rate gets an error
 * with `retryAfterMs`; a connection that keeps sending past `refusedFramesBeforeClose` refusals is
 * closed with 1008. Feature limits (msg.send per user) still apply on top.
 */
export class FrameGuard {
  private readonly buckets: RateLimiter;
  private readonly refusals = new WeakMap<ClientConnection, { since: number; count: number }>();

  constructor(private readonly limits: ResolvedSocketLimits) {
    // A key per open connection: the sweep bound must not be reached by connections alone.
    this.buckets = new RateLimiter(limits.frameRate.burst, limits.frameRate.perSecond, 1_000_000);
  }

  /** True when the frame may be handled; otherwise it has been answered (or the connection closed). */
  admit(connection: ClientConnection, frame: unknown): boolean {
    const waitMs = this.buckets.takeMs(connection.id);
    if (waitMs === 0) return true;
    const now = Date.now();
    let record = this.refusals.get(connection);
    if (!record || now - record.since > REFUSAL_WINDOW_MS)
      this.refusals.set(connection, (record = { since: now, count: 0 }));
    if (++record.count > this.limits.refusedFramesBeforeClose) {
      connection.closeOrTerminate(CloseCode.PolicyViolation, 'frame rate limit ignored');
      return false;
    }
    const id = frameId(frame);
    const error = {
      ...errorInfo(ErrorCode.BadRequest, `Too many frames; retry in ${waitMs} ms.`),
      retryAfterMs: waitMs,
    };
    connection.send({ t: 'error', ...(id ? { id } : {}), error });
    return false;
  }

  /** Forgets a closed connection's bucket. */
  forget(connection: ClientConnection): void {
    this.buckets.delete(connection.id);
  }
}

/** The request id of a frame, as the router would echo it. */
function frameId(frame: unknown): string | undefined {
  if (typeof frame !== 'object' || frame === null) return undefined;
  const id = (frame as Record<string, unknown>).id;
  return typeof id === 'string' && id.length > 0 && id.length <= MAX_FRAME_ID_LENGTH ? id : undefined;
}
