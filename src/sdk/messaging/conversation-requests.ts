import { ConversationLimits, type ConversationPage } from '../../protocol/index.js';
import { OoVooError } from '../errors.js';
import type { SignalClient } from '../signaling/signal-client.js';

/**
 * `Messaging.conversations(params)`: `before`, a page's `next`, for the page after it (older
 * activity); `limit`: 1 to 100 (default 30).
 */
export interface ConversationsParams {
  before?: string | null;
  limit?: number;
}

/**
 * The request of `Messaging.conversations` (in the messaging extras): one page of the user's
 * conversations, newest activity first. Asked while the connection is (re)opening, it waits for it:
 * a read is safe to ask again after a drop.
 */
export async function requestConversations(
  signal: SignalClient | undefined,
  params: ConversationsParams = {},
): Promise<ConversationPage> {
  if (typeof params !== 'object' || params === null)
    throw OoVooError.badRequest('conversations takes { before, limit } (both optional).');
  const { before, limit } = params;
  if (before !== undefined && before !== null && (typeof before !== 'string' || before === ''))
    throw OoVooError.badRequest('before must be the next of an earlier page (or left out for the newest).');
  if (limit !== undefined && !(Number.isInteger(limit) && limit >= 1 && limit <= ConversationLimits.maxPage))
    throw OoVooError.badRequest(`limit must be a whole number from 1 to ${ConversationLimits.maxPage}.`);
  if (!signal) throw OoVooError.unspecified('Not connected: call ooVooClient.connect first.');
  const page = await signal.request<ConversationPage>(
    { t: 'msg.conversations', ...(before ? { before } : {}), ...(limit === undefined ? {} : { limit }) },
    { durable: true },
  );
  if (!Array.isArray(page?.items)) throw OoVooError.unspecified('The server answered conversations with no page.');
  return page;
}
