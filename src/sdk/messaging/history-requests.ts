import { HistoryLimits, MessagingLimits, type HistoryPage } from '../../protocol/index.js';
import { OoVooError } from '../errors.js';
import type { RequestFrame } from '../signaling/requests.js';
import type { SignalClient } from '../signaling/signal-client.js';
import type { HistoryParams } from './messaging.js';
import { userIds } from './recipients.js';

/**
 * The request of `Messaging.history` (in the messaging extras): `msg.history` for a 1:1 or a group,
 * `conf.history` for a call's chat (answered by the node that holds the call, which knows who is in it).
 */
export function historyFrame(params: HistoryParams): RequestFrame {
  if (typeof params !== 'object' || params === null)
    throw OoVooError.badRequest('history needs { with }, { group } or { conference }.');
  const named = (['with', 'group', 'conference'] as const).filter((k) => params[k] !== undefined);
  if (named.length !== 1) throw OoVooError.badRequest('history needs exactly one of with, group or conference.');
  const { before, limit } = params;
  if (before !== undefined && before !== null && (typeof before !== 'string' || before === ''))
    throw OoVooError.badRequest('before must be the next of an earlier page (or left out for the newest).');
  if (limit !== undefined && !(Number.isInteger(limit) && limit >= 1 && limit <= HistoryLimits.maxPage))
    throw OoVooError.badRequest(`limit must be a whole number from 1 to ${HistoryLimits.maxPage}.`);
  const page = { ...(before ? { before } : {}), ...(limit === undefined ? {} : { limit }) };
  if (params.conference !== undefined) {
    if (typeof params.conference !== 'string' || params.conference === '')
      throw OoVooError.badRequest('conference must be a conference id.');
    return { t: 'conf.history', conf: params.conference, ...page };
  }
  if (params.with !== undefined) {
    if (Array.isArray(params.with)) throw OoVooError.badRequest('with is one user id; name a group with group.');
    return { t: 'msg.history', with: userIds(params.with)[0], ...page };
  }
  const group = userIds(params.group!);
  if (group.length === 0 || group.length > MessagingLimits.maxRecipients)
    throw OoVooError.badRequest(`group must name 1 to ${MessagingLimits.maxRecipients} users.`);
  return { t: 'msg.history', group, ...page };
}

/**
 * One page, newest first. Asked while the connection is (re)opening, it waits for it, like a send:
 * a read is safe to ask again after a drop.
 */
export async function requestHistory(signal: SignalClient | undefined, params: HistoryParams): Promise<HistoryPage> {
  const frame = historyFrame(params);
  if (!signal) throw OoVooError.unspecified('Not connected: call ooVooClient.connect first.');
  const page = await signal.request<HistoryPage>(frame, { durable: true });
  if (!Array.isArray(page?.items)) throw OoVooError.unspecified('The server answered history with no page.');
  return page;
}

export function deleteFrame(msgId: unknown): RequestFrame {
  if (typeof msgId !== 'string' || msgId.length === 0 || msgId.length > 64)
    throw OoVooError.badRequest('deleteMessage needs the msg_id of a message you sent.');
  return { t: 'msg.delete', msg_id: msgId };
}
