import {
  ConversationLimits,
  msgConversationsFrame,
  type ConversationPage,
  type ConversationSummary,
} from '../../protocol/index.js';
import type { FileInfo } from '../../protocol/files.js';
import { ApiError } from '../api-error.js';
import type { ServerContext } from '../context.js';
import type { ConversationCursor, ConversationRecord } from '../store/conversation-store.js';
import type { SendGuard } from './send-guard.js';

const CURSOR = /^(\d{1,16})\.([\w-]{1,64})$/;

function parseCursor(before: string | undefined): ConversationCursor | undefined {
  if (before === undefined) return undefined;
  const match = CURSOR.exec(before);
  if (!match) throw ApiError.badRequest('before must be the next of an earlier page of conversations.');
  return { lastAt: Number(match[1]), conv: match[2]! };
}

/** The files of a history row, when that feature keeps them there (a JSON column `files`). */
function filesOf(row: Readonly<Record<string, unknown>>): readonly FileInfo[] | undefined {
  const files: unknown = typeof row.files === 'string' ? JSON.parse(row.files) : row.files;
  return Array.isArray(files) && files.length > 0 ? (files as FileInfo[]) : undefined;
}

/** One conversation as it travels: named by its other people, as `msg.history` takes them. */
function summaryOf(record: ConversationRecord, reader: string): ConversationSummary {
  const others = record.people.filter((uid) => uid !== reader);
  const { last } = record;
  const files = last.deleted ? undefined : filesOf(last.row);
  return {
    ...(others.length > 1 ? { group: others } : { with: others[0] ?? reader }),
    last: {
      msg_id: last.msgId,
      from: last.from,
      body: last.body,
      ts: last.createdAt,
      ...(last.deleted ? { deleted: true as const } : {}),
      ...(files ? { files } : {}),
    },
    unread: record.unread,
  };
}

/**
 * `msg.conversations`: a page of the caller's own conversations (the list reads only the caller's
 * member rows, so nobody sees another's), newest activity first. Paced like history pages.
 */
export function registerConversationHandlers(ctx: ServerContext, deps: { guard: SendGuard }): void {
  ctx.router.on('msg.conversations', msgConversationsFrame, async (connection, frame): Promise<ConversationPage> => {
    const before = parseCursor(frame.before);
    await deps.guard.takeHistory(connection);
    const { items, more } = await ctx.store.conversations.list(
      connection.appId,
      connection.uid,
      frame.limit ?? ConversationLimits.defaultPage,
      ConversationLimits.maxUnread,
      before,
    );
    const last = items.at(-1);
    return {
      items: items.map((i) => summaryOf(i, connection.uid)),
      next: more && last ? `${last.lastAt}.${last.conv}` : null,
    };
  });
}
