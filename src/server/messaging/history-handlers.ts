import {
  ErrorCode,
  msgDeleteFrame,
  msgHistoryFrame,
  type HistoryPage,
  type MsgDeleteResult,
} from '../../protocol/index.js';
import { ApiError } from '../api-error.js';
import type { ServerContext } from '../context.js';
import type { FileRemover } from '../files/file-service.js';
import { readHistoryPage } from '../history-page.js';
import { peopleKey } from '../store/history-store.js';
import type { InboxWriter } from './inbox-writer.js';
import { check } from './message-handlers.js';
import type { SendGuard } from './send-guard.js';

/**
 * `msg.history` (a page of a 1:1 or group conversation) and `msg.delete` (delete for everyone).
 * A conversation is named by its other people, the caller always being one of them, so nobody can
 * name a conversation they are not in; a call's chat is read with `conf.history` (chat-history.ts).
 */
export function registerHistoryHandlers(
  ctx: ServerContext,
  deps: { writer: InboxWriter; guard: SendGuard; files?: Pick<FileRemover, 'removeForMessage'> | undefined },
): void {
  const { writer, guard, files } = deps;

  ctx.router.on('msg.history', msgHistoryFrame, async (connection, frame): Promise<HistoryPage> => {
    if ((frame.with === undefined) === (frame.group === undefined))
      throw ApiError.badRequest(
        "Name the conversation by exactly one of with (a user id) or group (its members' ids).",
      );
    await guard.takeHistory(connection);
    const others = frame.with === undefined ? frame.group! : [frame.with];
    const conv = peopleKey(connection.uid, others);
    return readHistoryPage(ctx.store.history, connection.appId, conv, connection.uid, frame);
  });

  ctx.router.on('msg.delete', msgDeleteFrame, async (connection, frame): Promise<MsgDeleteResult> => {
    await guard.takeSend(connection);
    const { appId, uid } = connection;
    // The history holds a message for its app's retention; the message row for the dedupe window.
    const message =
      (await ctx.store.history.find(appId, frame.msg_id)) ?? (await ctx.store.messages.getMessage(appId, frame.msg_id));
    if (!message)
      throw new ApiError(
        404,
        ErrorCode.InvalidResource,
        `There is no message ${JSON.stringify(frame.msg_id)} to delete.`,
      );
    if (message.sender !== uid)
      throw ApiError.notAuthorized('Only the sender of a message can delete it for everyone.');
    const to = message.recipients.filter((r) => r !== uid);
    check(await writer.submit({ kind: 'delete', appId, sender: uid, msgId: frame.msg_id, to, createdAt: Date.now() }));
    // Its files go too (a retried delete finds what a failed removal left).
    await files?.removeForMessage(appId, frame.msg_id);
    return { msg_id: frame.msg_id, deleted: true };
  });
}
