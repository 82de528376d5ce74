import { TypingTimes } from '../../protocol/index.js';

/** One sender's typing towards one recipient, as forwarded. */
interface Pair {
  /** The last frame forwarded said "typing". */
  on: boolean;
  /** When the last "typing" was forwarded. */
  lastStart: number;
  /** Frames that may still go on at once (a token bucket: `burst`, one more per `intervalMs`). */
  tokens: number;
  /** The last frame of this pair, forwarded or not (the bucket is filled up to here). */
  at: number;
}

export interface TypingThrottleOptions {
  /** At most one "typing" per pair in this window while the sender stays typing. */
  intervalMs: number;
  /** Frames of one pair in a row (a start, a stop, a start after a send), then one per interval. */
  burst: number;
  /** Pairs one sender keeps at a time; recipients past it get nothing until older pairs lapse. */
  maxPairsPerSender: number;
}

const DEFAULTS: TypingThrottleOptions = { intervalMs: TypingTimes.throttleMs, burst: 3, maxPairsPerSender: 1000 };

/**
 * Decides which typing frames go on, per sender and recipient, and drops the rest silently: a
 * repeated "typing" within the interval, a "stopped" with no "typing" before it, and anything past
 * the pair's bucket. A pair idle for `burst` intervals is forgotten (its bucket is full again and
 * the recipient's SDK has let its "typing" lapse), so a sender holds at most `maxPairsPerSender`
 * pairs, and nothing once its last connection here closed.
 */
export class TypingThrottle {
  private readonly senders = new Map<string, Map<string, Pair>>();
  private readonly options: TypingThrottleOptions;

  constructor(options: Partial<TypingThrottleOptions> = {}) {
    this.options = { ...DEFAULTS, ...options };
  }

  /** The recipients (of `to`, each once) this frame of `sender` goes on to. */
  admit(sender: string, to: readonly string[], typing: boolean, now = Date.now()): string[] {
    const { intervalMs, burst, maxPairsPerSender } = this.options;
    const forgetMs = burst * intervalMs;
    let pairs = this.senders.get(sender);
    if (!pairs) {
      if (!typing) return [];
      this.senders.set(sender, (pairs = new Map()));
    }
    const admitted: string[] = [];
    for (const uid of to) {
      let pair = pairs.get(uid);
      if (pair && now - pair.at >= forgetMs) {
        pairs.delete(uid);
        pair = undefined;
      }
      if (!pair) {
        // A stop with nothing started clears nothing; it never takes room.
        if (!typing) continue;
        if (pairs.size >= maxPairsPerSender) this.lapse(pairs, now);
        if (pairs.size >= maxPairsPerSender) continue;
        pairs.set(uid, (pair = { on: false, lastStart: 0, tokens: burst, at: now }));
      } else {
        pair.tokens = Math.min(burst, pair.tokens + (now - pair.at) / intervalMs);
        pair.at = now;
      }
      const repeat = typing ? pair.on && now - pair.lastStart < intervalMs : !pair.on;
      if (repeat || pair.tokens < 1) continue;
      pair.tokens -= 1;
      pair.on = typing;
      if (typing) pair.lastStart = now;
      admitted.push(uid);
    }
    if (pairs.size === 0) this.senders.delete(sender);
    return admitted;
  }

  /** The sender has no connection here any more. */
  forget(sender: string): void {
    this.senders.delete(sender);
  }

  /** Pairs held, over every sender (for tests: bounded, and gone with the sender). */
  get size(): number {
    let n = 0;
    for (const pairs of this.senders.values()) n += pairs.size;
    return n;
  }

  private lapse(pairs: Map<string, Pair>, now: number): void {
    const forgetMs = this.options.burst * this.options.intervalMs;
    for (const [uid, pair] of pairs) if (now - pair.at >= forgetMs) pairs.delete(uid);
  }
}
