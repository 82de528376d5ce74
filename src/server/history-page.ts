// A page of a conversation's history as it travels, shared by `msg.history` (messaging) and `conf.history` (conference).
import { HistoryLimits, type HistoryItem, type HistoryPage } from '../protocol/index.js';
import { ApiError } from './api-error.js';
import type { HistoryCursor, HistoryStore } from './store/history-store.js';

const CURSOR = /^(\d{1,16})\.(\d{1,16})\.(.{1,64})$/s;

/** A page's `next`: where the older page starts. Opaque to clients. */
function cursorOf(item: HistoryCursor): string {
  return `${item.createdAt}.${item.seq}.${item.msgId}`;
}

function parseCursor(before: string | undefined): HistoryCursor | undefined {
  if (before === undefined) return undefined;
  const match = CURSOR.exec(before);
  if (!match) throw ApiError.badRequest('before must be the next of an earlier page of this history.');
  return { createdAt: Number(match[1]), seq: Number(match[2]), msgId: match[3]! };
}

/** One page of a conversation as it travels (`msg.history`, `conf.history`). */
export async function readHistoryPage(
  history: HistoryStore,
  appId: string,
  conv: string,
  reader: string,
  frame: { before?: string | undefined; limit?: number | undefined },
): Promise<HistoryPage> {
  const before = parseCursor(frame.before);
  const { items, more } = await history.page(appId, conv, reader, frame.limit ?? HistoryLimits.defaultPage, before);
  const last = items.at(-1);
  return {
    items: items.map((i): HistoryItem => ({
      msg_id: i.msgId,
      from: i.from,
      body: i.body,
      ts: i.createdAt,
      ...(i.deleted ? { deleted: true } : {}),
      ...(i.files ? { files: i.files } : {}),
      ...(Object.keys(i.receipts).length > 0 ? { receipts: i.receipts } : {}),
    })),
    next: more && last ? cursorOf(last) : null,
  };
}
