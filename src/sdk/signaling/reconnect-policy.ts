/** Decides how long to wait before the next reconnect attempt, or that it is time to give up. */
export interface ReconnectPolicy {
  /** Milliseconds before attempt `attempt` (1-based), or null to stop retrying. `elapsedMs` counts from the drop. */
  nextDelay(attempt: number, elapsedMs: number): number | null;
}

/** Exponential backoff with full jitter, capped, for at most `maxElapsedMs` after a drop. */
export class ExponentialBackoffPolicy implements ReconnectPolicy {
  constructor(
    private readonly opts: { initialMs?: number; maxMs?: number; maxElapsedMs?: number; random?: () => number } = {},
  ) {}

  nextDelay(attempt: number, elapsedMs: number): number | null {
    const { initialMs = 250, maxMs = 5_000, maxElapsedMs = 5 * 60_000, random = Math.random } = this.opts;
    if (elapsedMs >= maxElapsedMs) return null;
    // The first retry is quick: most drops are a single lost socket.
    if (attempt === 1) return Math.round(initialMs * random());
    const ceiling = Math.min(maxMs, initialMs * 2 ** (attempt - 1));
    return Math.round(ceiling / 2 + (ceiling / 2) * random());
  }
}
