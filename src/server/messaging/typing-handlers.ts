import { msgTypingFrame } from '../../protocol/index.js';
import { compositeKey } from '../composite-key.js';
import type { ServerContext } from '../context.js';
import { TypingFanout } from './typing-fanout.js';
import { TypingThrottle, type TypingThrottleOptions } from './typing-throttle.js';

/**
 * `msg.typing`: "Alice is typing…" to the users she writes to, in her app only. Never stored and
 * never queued: what the throttle lets through goes to the recipients' messaging connections now
 * (typing-fanout.ts), the rest is dropped without an answer. The sender may not name itself.
 */
export function registerTypingHandlers(ctx: ServerContext, options: Partial<TypingThrottleOptions> = {}): void {
  const throttle = new TypingThrottle(options);
  const fanout = new TypingFanout(ctx.connections, ctx.bus);

  ctx.router.on('msg.typing', msgTypingFrame, (connection, frame) => {
    const to = [...new Set(frame.to)].filter((uid) => uid !== connection.uid);
    const sender = compositeKey(connection.appId, connection.uid);
    fanout.publish(connection.appId, connection.uid, throttle.admit(sender, to, frame.typing), frame.typing);
    return undefined;
  });
  ctx.router.onOpen((connection) => fanout.open(connection));
  ctx.router.onClose((connection) => {
    fanout.close(connection);
    // The registry no longer holds the closed connection: none left means the sender is gone from this node.
    if (ctx.connections.forUser(connection.appId, connection.uid).size === 0)
      throttle.forget(compositeKey(connection.appId, connection.uid));
  });
}
