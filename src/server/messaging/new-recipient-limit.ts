import { ErrorCode } from '../../protocol/index.js';
import { compositeKey } from '../composite-key.js';

/** A send the limit refused: the store's failure shape, with the delay after which it would pass. */
export interface NewRecipientRefusal {
  readonly ok: false;
  readonly code: number;
  readonly description: string;
  /** Absent when waiting cannot help (one send names more new recipients than the limit). */
  readonly retryAfterMs?: number;
}

/** Senders whose window is kept; beyond it idle windows go first, then the oldest. */
const DEFAULT_MAX_TRACKED_RECIPIENTS = 1_000_000;

/**
 * How many distinct recipients a sender may reach for the first time within a sliding window
 * (an hour by default). A recipient already messaged within the window costs nothing, so talking
 * to the same people never meets the limit; fanning out to made-up ids does, quickly.
 *
 * Kept in memory per process, like the send rate limits: a restart starts every window afresh.
 * Memory is bounded by `maxTrackedRecipients` over all senders.
 */
export class NewRecipientLimit {
  /** Per `app\0sender`: recipient -> when first messaged in the window; insertion order is time order. */
  private readonly windows = new Map<string, Map<string, number>>();
  private tracked = 0;

  constructor(
    private readonly maxPerWindow: number,
    private readonly windowMs: number,
    private readonly maxTrackedRecipients = DEFAULT_MAX_TRACKED_RECIPIENTS,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * Admits a send to `recipients` (distinct) and counts the new ones as contacted, or refuses it
   * whole, counting nothing.
   */
  admit(appId: string, sender: string, recipients: readonly string[]): NewRecipientRefusal | undefined {
    if (!Number.isFinite(this.maxPerWindow)) return undefined;
    const now = this.now();
    const key = compositeKey(appId, sender);
    let window = this.windows.get(key);
    if (window) this.prune(window, now);
    const fresh = window ? recipients.filter((r) => !window!.has(r)) : [...recipients];
    if (fresh.length === 0) return undefined;
    const held = window?.size ?? 0;
    if (held + fresh.length > this.maxPerWindow)
      return this.refusal(window, held + fresh.length - this.maxPerWindow, fresh.length, now);

    if (!window) {
      if (this.tracked + fresh.length > this.maxTrackedRecipients) this.makeRoom(now, fresh.length);
      this.windows.set(key, (window = new Map()));
    } else if (this.tracked + fresh.length > this.maxTrackedRecipients) {
      this.makeRoom(now, fresh.length, key);
    }
    for (const r of fresh) window.set(r, now);
    this.tracked += fresh.length;
    return undefined;
  }

  private refusal(
    window: Map<string, number> | undefined,
    excess: number,
    wanted: number,
    now: number,
  ): NewRecipientRefusal {
    const what = `new recipients: at most ${this.maxPerWindow} distinct people not messaged in the last ${describeWindow(this.windowMs)}`;
    if (wanted > this.maxPerWindow || !window) {
      return { ok: false, code: ErrorCode.BadRequest, description: `Too many ${what}; this message names ${wanted}.` };
    }
    // The send passes once `excess` of the oldest first contacts have left the window.
    let i = 0;
    let frees = now;
    for (const at of window.values()) {
      if (++i === excess) {
        frees = at + this.windowMs;
        break;
      }
    }
    const retryAfterMs = Math.max(1, frees - now);
    return {
      ok: false,
      code: ErrorCode.BadRequest,
      description: `Too many ${what}; retry in ${Math.ceil(retryAfterMs / 1000)} s.`,
      retryAfterMs,
    };
  }

  private prune(window: Map<string, number>, now: number): void {
    const oldest = now - this.windowMs;
    for (const [r, at] of window) {
      if (at > oldest) break;
      window.delete(r);
      this.tracked--;
    }
  }

  /**
   * Frees memory for `needed` entries and a tenth more (so this full pass stays rare): expired
   * contacts first, then whole windows, oldest first. A dropped window only makes its sender's limit lenient.
   */
  private makeRoom(now: number, needed: number, keep?: string): void {
    const target = Math.floor(this.maxTrackedRecipients * 0.9);
    for (const [key, window] of this.windows) {
      this.prune(window, now);
      if (window.size === 0 && key !== keep) this.windows.delete(key);
    }
    for (const [key, window] of this.windows) {
      if (this.tracked + needed <= target) break;
      if (key === keep) continue;
      this.tracked -= window.size;
      this.windows.delete(key);
    }
  }
}

function describeWindow(ms: number): string {
  if (ms % 3_600_000 === 0) return ms === 3_600_000 ? 'hour' : `${ms / 3_600_000} hours`;
  if (ms % 60_000 === 0) return ms === 60_000 ? 'minute' : `${ms / 60_000} minutes`;
  return `${Math.round(ms / 1000)} s`;
}
