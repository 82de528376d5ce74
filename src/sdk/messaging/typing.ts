import { MessagingLimits, TypingTimes, type MsgTypingServerFrame } from '../../protocol/index.js';
import { OoVooError } from '../errors.js';
import { userIds } from './recipients.js';
import type { MessagingHost, SendParams, TypingEvent } from './messaging.js';

/** Conversations typed in at once that are remembered; past it the oldest is forgotten (it only repeats sooner). */
const MAX_CONVERSATIONS = 50;

/**
 * `Messaging.typing` and the `typing` event (part of the messaging extras). Out: "typing" goes to a
 * conversation at most every `TypingTimes.repeatMs` however often the app calls, "stopped" only
 * after a "typing" (and on a send to the same people). In: a peer is typing from its first
 * "typing" until its "stopped", its message, or `TypingTimes.expiryMs` without another "typing".
 */
export class TypingSignals {
  /** When "typing" last went to each conversation (its recipients, sorted), oldest first. */
  private readonly sent = new Map<string, number>();
  /** Peers typing now, each with the timer that ends it. */
  private readonly peers = new Map<string, ReturnType<typeof setTimeout>>();

  constructor(private readonly host: MessagingHost) {}

  /** The user is typing to `to` (or stopped); a frame goes out only when it tells the recipients something. */
  signal(to: SendParams['to'], typing: boolean): void {
    const list = [...new Set(userIds(to))];
    if (list.length === 0 || list.length > MessagingLimits.maxRecipients)
      throw OoVooError.badRequest(`to must name 1 to ${MessagingLimits.maxRecipients} users.`);
    const key = JSON.stringify([...list].sort());
    const last = this.sent.get(key);
    if (typing) {
      const now = Date.now();
      if (last !== undefined && now - last < TypingTimes.repeatMs) return;
      // Taken out and put back: the map stays oldest first.
      this.sent.delete(key);
      this.sent.set(key, now);
      if (this.sent.size > MAX_CONVERSATIONS) this.sent.delete(this.sent.keys().next().value!);
    } else {
      if (last === undefined) return;
      this.sent.delete(key);
    }
    this.host.signal()?.send({ t: 'msg.typing', to: list, typing });
  }

  /** A `msg.typing` frame from the server. */
  receive(frame: MsgTypingServerFrame): void {
    const { from, typing } = frame;
    if (typeof from !== 'string' || typeof typing !== 'boolean') return;
    if (!typing) return this.stopped(from);
    const was = this.peers.get(from);
    clearTimeout(was);
    this.peers.set(
      from,
      setTimeout(() => this.stopped(from), TypingTimes.expiryMs),
    );
    if (was === undefined) this.emit({ from, typing });
  }

  /** `from` is no longer typing: it said so, its message came, or it lapsed. */
  stopped(from: string): void {
    const timer = this.peers.get(from);
    if (timer === undefined) return;
    clearTimeout(timer);
    this.peers.delete(from);
    this.emit({ from, typing: false });
  }

  private emit(evt: TypingEvent): void {
    try {
      this.host.events.emit('typing', evt);
      this.host.onTyping?.(evt);
    } catch (e) {
      // The app's handler threw: report it as the browser would, and go on.
      queueMicrotask(() => {
        throw e;
      });
    }
  }
}
