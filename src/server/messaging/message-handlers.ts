import { newMessageId } from './message-id.js';
import {
  ErrorCode,
  msgReceiptFrame,
  msgReceivedFrame,
  msgSendFrame,
  type MsgReceiptResult,
  type MsgSendResult,
} from '../../protocol/index.js';
import { ApiError } from '../api-error.js';
import type { ClientConnection } from '../connections.js';
import type { ServerContext } from '../context.js';
import type { MessagingOpResult } from '../store/messaging-types.js';
import type { ReceiverPresence } from '../cluster/presence.js';
import type { DeliveryFanout } from './delivery.js';
import type { InboxWriter } from './inbox-writer.js';
import type { ResolvedMessagingOptions } from './options.js';
import type { PushService } from './push/push-service.js';
import { RetryLaterError } from './rate-limited-error.js';
import type { SendGuard } from './send-guard.js';
import { registerTypingHandlers } from './typing-handlers.js';

/** Longest message body a push carries (a push payload is at most about 4 KB, encrypted). */
const PUSH_BODY_CHARS = 1000;

export function check(result: MessagingOpResult): asserts result is Extract<MessagingOpResult, { ok: true }> {
  if (!result.ok) {
    if (result.retryAfterMs !== undefined)
      throw new RetryLaterError(result.code, result.description, result.retryAfterMs);
    const status =
      result.code === ErrorCode.NotAuthorized ? 403 : result.code === ErrorCode.InvalidResource ? 404 : 400;
    throw new ApiError(status, result.code, result.description);
  }
}

/** The identity checks every messaging request passes: the sender is the connection's user, in its app. */
export function assertOwnIdentity(
  connection: ClientConnection,
  frame: { from?: string | undefined; app?: string | undefined },
): void {
  if (frame.from !== undefined && frame.from !== connection.uid) {
    throw ApiError.notAuthorized('A message is sent as the signed-in user; from must be your own user id.');
  }
  if (frame.app !== undefined && frame.app !== connection.appId)
    throw ApiError.notAuthorized('Messages stay inside one app.');
}

export function registerMessageHandlers(
  ctx: ServerContext,
  deps: {
    writer: InboxWriter;
    /** Who has a messaging connection somewhere: the others get a push. */
    presence: ReceiverPresence;
    /** Rings recipients again for a retry answered as already stored. */
    fanout: Pick<DeliveryFanout, 'ring'>;
    push: PushService;
    guard: SendGuard;
    options: ResolvedMessagingOptions;
  },
): void {
  const { writer, presence, fanout, push, guard, options } = deps;

  ctx.router.on('msg.send', msgSendFrame, async (connection, frame): Promise<MsgSendResult> => {
    assertOwnIdentity(connection, frame);
    await guard.takeSend(connection);
    const to = [...new Set(frame.to)];
    // Asked while the batch commits, not after: between nodes these are Redis round trips that would add to the ack.
    const present = presence.receivers(connection.appId, to);
    present.catch(() => undefined);
    const result = await writer.submit({
      kind: 'send',
      appId: connection.appId,
      sender: connection.uid,
      ...(frame.cid === undefined ? {} : { clientId: frame.cid }),
      msgId: newMessageId(),
      to,
      body: frame.body,
      createdAt: Date.now(),
      ...(frame.files === undefined ? {} : { files: frame.files }),
    });
    check(result);
    if (result.kind !== 'send') throw new Error('unexpected result');
    if (result.duplicate) fanout.ring(connection.appId, result.recipients);
    const delivered: string[] = [];
    const offline: string[] = [];
    // A retried send answers for the recipients it was stored with.
    const receivers =
      result.recipients.length === to.length && result.recipients.every((uid) => to.includes(uid))
        ? await present
        : await presence.receivers(connection.appId, result.recipients);
    for (const uid of result.recipients) (receivers.has(uid) ? delivered : offline).push(uid);
    if (!result.duplicate && options.pushOffline && offline.length > 0) {
      const payload = {
        type: 'message',
        app: connection.appId,
        from: connection.uid,
        body: frame.body.slice(0, PUSH_BODY_CHARS),
        msg_id: result.msgId,
      } as const;
      push
        .send(connection.appId, offline, payload)
        .catch((e: unknown) => ctx.log.warn({ err: String(e) }, 'offline push failed'));
    }
    return { msg_id: result.msgId, delivered, offline };
  });

  ctx.router.on('msg.receipt', msgReceiptFrame, async (connection, frame): Promise<MsgReceiptResult> => {
    await guard.takeReceipt(connection);
    const to = [...new Set(frame.to)];
    const result = await writer.submit({
      kind: 'receipt',
      appId: connection.appId,
      from: connection.uid,
      to,
      msgId: frame.msg_id,
      state: frame.state,
      createdAt: Date.now(),
    });
    check(result);
    // Not forwarded: a repeat (perhaps a retry of one stored by a node that died before ringing) or a step back.
    if (result.kind === 'receipt' && !result.forwarded) fanout.ring(connection.appId, to);
    return { msg_id: frame.msg_id, state: frame.state };
  });

  // Typing is ephemeral: beside the messages, never through the writer or the inbox.
  registerTypingHandlers(ctx);

  ctx.router.on('msg.received', msgReceivedFrame, async (connection, frame) => {
    if (!connection.messaging) throw ApiError.badRequest('This connection did not enable messaging.');
    check(
      await writer.submit({
        kind: 'remove',
        appId: connection.appId,
        uid: connection.uid,
        ids: [...new Set(frame.ids)],
      }),
    );
    return undefined;
  });
}
