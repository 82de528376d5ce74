/**
 * A conversation's history, kept by the server apart from the delivery inbox for the app's
 * retention period (`history_days`, default 30; 0 keeps nothing). Read newest first, one page at a
 * time, by the conversation's members only; a sender may delete a message for everyone.
 *
 * A conversation is its set of people: a 1:1 is the two users, a group the sender and every
 * recipient of a send (so a reply to a different set of people is another conversation). A call's
 * chat is the conference's own conversation, read with `conf.history` by those in the call.
 */
import { Limits } from './constants.js';
import { fileInfos } from './file-info.js';
import type { FileInfo } from './files.js';
import type { AcknowledgeStateValue } from './messaging.js';
import { MessagingLimits } from './messaging.js';
import { arrayOf, literal, num, object, optional, str } from './schema.js';

export const HistoryLimits = {
  /** Items in a page when the request names no `limit`. */
  defaultPage: 50,
  /** Most items in one page. */
  maxPage: 100,
  /** Longest `before` cursor (what a page's `next` holds). */
  maxCursorLength: 100,
  /** Longest id of a call's chat message (the chat element's, kept as the message's id). */
  maxChatIdLength: 64,
} as const;

const uid = str({ min: 1, max: Limits.maxUserIdLength });
const requestId = str({ min: 1, max: 64 });
const cursor = optional(str({ min: 1, max: HistoryLimits.maxCursorLength }));
const limit = optional(num({ min: 1, max: HistoryLimits.maxPage, integer: true }));

/**
 * `Messaging.history({ with | group, before, limit })`: one page of a 1:1 (`with`: the other user)
 * or group conversation (`group`: its other members; the caller is one of them whether named or not).
 * Exactly one of `with` and `group`.
 */
export const msgHistoryFrame = object({
  t: literal('msg.history'),
  id: requestId,
  with: optional(uid),
  group: optional(arrayOf(uid, { min: 1, max: MessagingLimits.maxRecipients })),
  before: cursor,
  limit,
});
export type MsgHistoryFrame = ReturnType<typeof msgHistoryFrame>;

/** `Messaging.history({ conference })`: the call's chat so far; only a participant of the call may read it. */
export const confHistoryFrame = object({
  t: literal('conf.history'),
  id: requestId,
  conf: str({ min: 1, max: 256 }),
  before: cursor,
  limit,
});
export type ConfHistoryFrame = ReturnType<typeof confHistoryFrame>;

/** `Messaging.deleteMessage(msgId)`: the sender deletes a message for everyone. */
export const msgDeleteFrame = object({
  t: literal('msg.delete'),
  id: requestId,
  msg_id: str({ min: 1, max: 64 }),
});
export type MsgDeleteFrame = ReturnType<typeof msgDeleteFrame>;

/** One message of a page. A deleted one has an empty body and `deleted: true`. */
export interface HistoryItem {
  readonly msg_id: string;
  readonly from: string;
  readonly body: string;
  /** When the server stored it (ms since the epoch). */
  readonly ts: number;
  readonly deleted?: true;
  /** The files the message carries (files.ts); none on a deleted message. */
  readonly files?: readonly FileInfo[];
  /**
   * Receipts as they stand: on the reader's own messages each recipient's furthest state, on the
   * others' the reader's own (so a reloaded page knows what it already acknowledged). Absent when none.
   */
  readonly receipts?: Readonly<Record<string, AcknowledgeStateValue>>;
}

/** The answer of `msg.history` and `conf.history`: newest first; `next` is the `before` of the older page, null at the start. */
export interface HistoryPage {
  readonly items: readonly HistoryItem[];
  readonly next: string | null;
}

export interface MsgDeleteResult {
  readonly msg_id: string;
  readonly deleted: true;
}

/** What the chat element puts in a call's `sendData` for a message (a receipt carries `state` instead of `body`). */
export interface ConferenceChatData {
  readonly oovooChat: 1;
  readonly id: string;
  readonly body: string;
  /** The files it carries, as their uploads answered (at most `FileLimits.maxFilesPerMessage`); absent when none. */
  readonly files?: readonly FileInfo[];
}

/**
 * The chat element's message in a call's data, if `data` is one (the server keeps those, and only those).
 * A `files` list that is not well formed (files.ts) makes it no chat message at all.
 */
export function parseConferenceChat(data: string): ConferenceChatData | undefined {
  if (!data.startsWith('{')) return undefined;
  try {
    const value = JSON.parse(data) as Record<string, unknown> | null;
    if (
      value?.oovooChat === 1 &&
      typeof value.id === 'string' &&
      /^[\w-]+$/.test(value.id) &&
      value.id.length <= HistoryLimits.maxChatIdLength &&
      typeof value.body === 'string' &&
      value.body.length > 0
    ) {
      if (value.files === undefined) return { oovooChat: 1, id: value.id, body: value.body };
      const files = fileInfos(value.files);
      if (files) return { oovooChat: 1, id: value.id, body: value.body, files };
    }
  } catch {
    // Not JSON: an app's own data.
  }
  return undefined;
}
