/**
 * "Alice is typing…": ephemeral frames beside the messaging ones. Never stored, never queued for
 * an offline user, forwarded only to the recipients' messaging connections in the sender's app.
 */
import { Limits } from './constants.js';
import { MessagingLimits } from './messaging.js';
import { arrayOf, bool, literal, object, optional, str } from './schema.js';

export const TypingTimes = {
  /** The server forwards at most one "typing" per sender and recipient in this window. */
  throttleMs: 2000,
  /** The SDK repeats "typing" this often while the user goes on typing (just above the throttle). */
  repeatMs: 2500,
  /** A peer stops counting as typing this long after its last "typing", when no "stopped" came. */
  expiryMs: 5000,
} as const;

/**
 * Client → server: the user started (`typing: true`, repeated while typing) or stopped typing to
 * these users (as many as a send may name). With an `id` it is answered by an ack; either way,
 * frames past the throttle are dropped silently.
 */
export const msgTypingFrame = object({
  t: literal('msg.typing'),
  id: optional(str({ min: 1, max: 64 })),
  to: arrayOf(str({ min: 1, max: Limits.maxUserIdLength }), { min: 1, max: MessagingLimits.maxRecipients }),
  typing: bool,
});
export type MsgTypingFrame = ReturnType<typeof msgTypingFrame>;

/** Server → client: `from` (of the same app) is typing to this user, or stopped. */
export interface MsgTypingServerFrame {
  readonly t: 'msg.typing';
  readonly from: string;
  readonly typing: boolean;
}
