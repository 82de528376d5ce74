/**
 * The signed-in user's conversations (`<oovoo-conversations>`): every 1:1 and group conversation
 * the user sent or received a message in that the app's history still holds, newest activity first,
 * each with its last message and how many messages from the others the user has not Read yet.
 * A call's chat is not a conversation here. Paged by an opaque cursor like history pages.
 */
import type { FileInfo } from './files.js';
import { HistoryLimits } from './history.js';
import { literal, num, object, optional, str } from './schema.js';

export const ConversationLimits = {
  /** Conversations in a page when the request names no `limit`. */
  defaultPage: 30,
  /** Most conversations in one page. */
  maxPage: 100,
  /** Unread counts stop here (a list shows `999+`): counting costs what it counts. */
  maxUnread: 999,
} as const;

/** `Messaging.conversations({ before, limit })`: one page of the user's conversations, newest first. */
export const msgConversationsFrame = object({
  t: literal('msg.conversations'),
  id: str({ min: 1, max: 64 }),
  before: optional(str({ min: 1, max: HistoryLimits.maxCursorLength })),
  limit: optional(num({ min: 1, max: ConversationLimits.maxPage, integer: true })),
});
export type MsgConversationsFrame = ReturnType<typeof msgConversationsFrame>;

/** One conversation of the list. Exactly one of `with` and `group`, as `Messaging.history` takes them. */
export interface ConversationSummary {
  /** The other user of a 1:1. */
  readonly with?: string;
  /** The other members of a group (the reader is not listed). */
  readonly group?: readonly string[];
  /** Its newest message (a deleted one: empty body, `deleted: true`). */
  readonly last: {
    readonly msg_id: string;
    readonly from: string;
    readonly body: string;
    readonly ts: number;
    readonly deleted?: true;
    readonly files?: readonly FileInfo[];
  };
  /** Messages from the others (not deleted) after the newest one this reader sent Read for; at most `maxUnread`. */
  readonly unread: number;
}

/** The answer of `msg.conversations`: `next` is the `before` of the following page, null at the end. */
export interface ConversationPage {
  readonly items: readonly ConversationSummary[];
  readonly next: string | null;
}
