import { fileInfos } from '../../protocol/file-info.js';
import type { FileInfo } from '../../protocol/files.js';
import type { Conference } from '../../sdk/conference/conference.js';
import type { Messaging } from '../../sdk/messaging/messaging.js';
import { randomId } from '../../sdk/messaging/ids.js';
import type { ChatMessageDetail } from '../events/message.js';

export type ReceiptState = 'Delivered' | 'Read';

export interface TransportHandlers {
  /** `plain`: in-call data from something other than an oovoo chat, which gets no receipts back. */
  message(message: ChatMessageDetail, plain?: boolean): void;
  receipt(id: string, from: string, state: ReceiptState): void;
  /** `from` started or stopped typing to this user (persistent chat only). */
  typing(from: string, typing: boolean): void;
  /** `from` deleted its message `id` for everyone (persistent chat only). */
  deleted?(id: string, from: string): void;
}

/** How <oovoo-chat> sends and receives, persistently or within a call. */
export interface ChatTransport {
  /** Sends (with files already uploaded into the conversation); resolves with the message's id and the users it went to. */
  send(to: readonly string[], body: string, files?: readonly FileInfo[]): Promise<{ id: string; recipients: string[] }>;
  acknowledge(to: string, id: string, state: ReceiptState): Promise<unknown>;
  /** Tells `to` the user is typing, or stopped; absent where the transport has no such signal (a call). */
  typing?(to: readonly string[], typing: boolean): void;
  close(): void;
}

/** `{ files }` when there are any, else nothing: a message without files stays as it was on the wire. */
const withFiles = (files: readonly FileInfo[] | undefined) => (files?.length ? { files } : {});

/** Durable messages over `client.Messaging`, with its Delivered/Read acknowledgements. */
export function messagingTransport(messaging: Messaging, on: TransportHandlers): ChatTransport {
  const offs = [
    messaging.events.on('message', (m) =>
      on.message({ id: m.msg_id, from: m.from, body: m.body, ts: m.ts, ...withFiles(m.files) }),
    ),
    messaging.events.on('acknowledgement', (a) => on.receipt(a.msg_id, a.from, a.state)),
    messaging.events.on('typing', (e) => on.typing(e.from, e.typing)),
    messaging.events.on('deleted', (d) => on.deleted?.(d.msg_id, d.from)),
  ];
  return {
    async send(to, body, files) {
      const result = await messaging.send({ to, body, ...withFiles(files) });
      return { id: result.msg_id, recipients: [...to] };
    },
    acknowledge: (to, id, state) => messaging.sendAcknowledgement({ to: [to], msg_id: id, state }),
    // Best effort: a signal that cannot go out now is simply not seen.
    typing: (to, typing) => void messaging.typing([...to], typing).catch(() => undefined),
    close: () => offs.forEach((off) => off()),
  };
}

/** What in-call chat puts in `sendData`: a message or a receipt, marked so other data passes by. */
interface ChatData {
  oovooChat: 1;
  id: string;
  body?: string;
  state?: ReceiptState;
  /** A message's files (what the uploads answered: the server fills in nothing for a call's data). */
  files?: readonly FileInfo[];
}

function parse(data: string): ChatData | undefined {
  try {
    const value = JSON.parse(data) as Partial<ChatData> | null;
    if (value?.oovooChat === 1 && typeof value.id === 'string') {
      if (typeof value.body === 'string' || value.state === 'Delivered' || value.state === 'Read')
        return value as ChatData;
    }
  } catch {
    // Not ours: plain text from another app's sendData.
  }
  return undefined;
}

/**
 * Chat within a call over the conference's `sendData`: to everyone in it. Plain strings other
 * apps send (as the spec's samples do) show as messages too.
 */
export function conferenceTransport(
  conference: Conference,
  ownUid: () => string | undefined,
  on: TransportHandlers,
): ChatTransport {
  const off = conference.events.on('receiveData', ({ uid, data }) => {
    const parsed = parse(data);
    if (!parsed) on.message({ id: randomId(8), from: uid, body: data, ts: Date.now() }, true);
    else if (parsed.state) on.receipt(parsed.id, uid, parsed.state);
    else
      on.message({
        id: parsed.id,
        from: uid,
        body: parsed.body ?? '',
        ts: Date.now(),
        ...withFiles(fileInfos(parsed.files)),
      });
  });
  const put = (to: string, value: ChatData) => conference.sendData(ownUid() ?? '', to, JSON.stringify(value));
  return {
    async send(_to, body, files) {
      const id = randomId(8);
      const recipients = conference.participants;
      await put('', { oovooChat: 1, id, body, ...withFiles(files) });
      return { id, recipients };
    },
    acknowledge: (to, id, state) => put(to, { oovooChat: 1, id, state }),
    close: off,
  };
}
