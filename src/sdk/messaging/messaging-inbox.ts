import {
  ACKNOWLEDGE_STATES,
  MessagingLimits,
  utf8Bytes,
  type ConversationPage,
  type FileInfo,
  type HistoryPage,
  type InboxEntryWire,
  type MsgDeleteResult,
  type MsgDeliverFrame,
  type MsgReceiptResult,
  type MsgSendResult,
  type MsgTypingServerFrame,
} from '../../protocol/index.js';
import { OoVooError } from '../errors.js';
import { randomId } from '../ids.js';
import type { RequestFrame } from '../signaling/requests.js';
import { fileInfos } from '../../protocol/file-info.js';
import { downloadFile, sendFiles, uploadFile, type UploadParams } from './files.js';
import { requestConversations, type ConversationsParams } from './conversation-requests.js';
import { deleteFrame, requestHistory } from './history-requests.js';
import { RecentIds } from './ids.js';
import { userIds } from './recipients.js';
import { TypingSignals } from './typing.js';
import type {
  AcknowledgementParams,
  HistoryParams,
  MessagingHost,
  ReceivedAcknowledgement,
  ReceivedMessage,
  SendParams,
} from './messaging.js';

/** How many delivered entry ids the duplicate filter remembers. */
const RECENT_IDS = 50_000;

function isEntry(value: unknown): value is InboxEntryWire {
  if (typeof value !== 'object' || value === null) return false;
  const e = value as Record<string, unknown>;
  if (typeof e.id !== 'string' || typeof e.msg_id !== 'string' || typeof e.from !== 'string') return false;
  if (e.kind === 'message') return typeof e.body === 'string';
  if (e.kind === 'deleted') return true;
  return e.kind === 'receipt' && (ACKNOWLEDGE_STATES as readonly unknown[]).includes(e.state);
}

/**
 * The work behind `ooVooClient.Messaging` (the messaging extras, loaded with the first delivery or
 * the first call): sends and receipts with their checks, and the inbox: each delivered entry handed
 * to the app once (held until its kind has a handler), then acknowledged to the server in batches.
 */
export class MessagingInbox {
  /** Requests not yet answered by the server. */
  unanswered = 0;
  private readonly seen = new RecentIds(RECENT_IDS);
  /** Entries that came before a handler for their kind was set, by id. */
  private readonly held = new Map<string, InboxEntryWire>();
  private toAcknowledge: string[] = [];
  private ackTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly typingSignals: TypingSignals;

  constructor(private readonly host: MessagingHost) {
    this.typingSignals = new TypingSignals(host);
    // A listener added with `events.on` is a handler as much as a property is: what waits for one goes to it.
    const { events } = host;
    const on = events.on;
    events.on = ((...args: Parameters<typeof on>) => {
      const off = on.apply(events, args);
      this.releaseHeld();
      return off;
    }) as typeof on;
  }

  /** A messaging frame from the server: inbox entries in order, or a peer's typing. */
  take(frame: MsgDeliverFrame | MsgTypingServerFrame): void {
    if (frame.t === 'msg.typing') this.typingSignals.receive(frame);
    else if (Array.isArray(frame.entries))
      for (const entry of frame.entries as unknown[]) if (isEntry(entry)) this.entry(entry);
  }

  typing(to: SendParams['to'], typing: boolean | undefined): void {
    this.typingSignals.signal(to, typing !== false);
  }

  async send(params: SendParams): Promise<MsgSendResult> {
    if (typeof params !== 'object' || params === null) throw OoVooError.badRequest('send needs { to, body }.');
    const to = userIds(params.to);
    if (to.length === 0 || to.length > MessagingLimits.maxRecipients) {
      throw OoVooError.badRequest(`to must name 1 to ${MessagingLimits.maxRecipients} users.`);
    }
    if (typeof params.body !== 'string' || params.body.length === 0)
      throw OoVooError.badRequest('body must be a non-empty string.');
    if (utf8Bytes(params.body) > MessagingLimits.maxBodyBytes) {
      throw OoVooError.badRequest(`body must be at most ${MessagingLimits.maxBodyBytes} bytes.`);
    }
    const cid = randomId();
    // The message says it all: the recipients' "is typing…" ends with it.
    this.typingSignals.signal(to, false);
    const files = sendFiles(params.files);
    return this.durable<MsgSendResult>({ t: 'msg.send', cid, to, body: params.body, ...(files ? { files } : {}) });
  }

  async acknowledge(params: AcknowledgementParams): Promise<MsgReceiptResult> {
    if (typeof params !== 'object' || params === null)
      throw OoVooError.badRequest('sendAcknowledgement needs { to, msg_id, state }.');
    const to = userIds(params.to);
    if (typeof params.msg_id !== 'string' || params.msg_id.length === 0)
      throw OoVooError.badRequest('msg_id is required.');
    if (!(ACKNOWLEDGE_STATES as readonly unknown[]).includes(params.state)) {
      throw OoVooError.badRequest('state must be ooVooClient.Messaging.AcknowledgeState.Delivered or .Read.');
    }
    // A repeated receipt is harmless: the server forwards each state once.
    return this.durable<MsgReceiptResult>({ t: 'msg.receipt', to, msg_id: params.msg_id, state: params.state });
  }

  history(params: HistoryParams): Promise<HistoryPage> {
    return requestHistory(this.host.signal(), params);
  }

  conversations(params?: ConversationsParams): Promise<ConversationPage> {
    return requestConversations(this.host.signal(), params);
  }

  upload(file: Blob, params: UploadParams): Promise<FileInfo> {
    return uploadFile(this.host.signal(), file, params);
  }

  download(fileId: string): Promise<Blob> {
    return downloadFile(this.host.signal(), fileId);
  }

  /** Durable: a retry after a drop is answered the same, and tells nobody twice. */
  async deleteMessage(msgId: string): Promise<MsgDeleteResult> {
    return this.durable<MsgDeleteResult>(deleteFrame(msgId));
  }

  private async durable<T>(frame: RequestFrame): Promise<T> {
    const signal = this.host.signal();
    if (!signal) throw OoVooError.unspecified('Not connected: call ooVooClient.connect first.');
    this.unanswered++;
    try {
      return await signal.request<T>(frame, { durable: true });
    } finally {
      this.unanswered--;
    }
  }

  private entry(entry: InboxEntryWire): void {
    if (this.seen.has(entry.id)) {
      // Already with the app: only tell the server again.
      this.acknowledgeToServer(entry.id);
      return;
    }
    if (this.held.size > 0 || !this.hasConsumer(entry)) {
      this.held.set(entry.id, entry);
      this.releaseHeld();
      return;
    }
    this.handOver(entry);
  }

  private hasConsumer(entry: InboxEntryWire): boolean {
    // A deletion goes to whoever takes messages (an app that never listens for deletions is not held up).
    if (entry.kind === 'deleted')
      return (
        (this.host.events.events.deleted?.length ?? 0) > 0 || this.hasConsumer({ ...entry, kind: 'message', body: '' })
      );
    return entry.kind === 'message'
      ? this.host.onReciveMessage !== undefined || (this.host.events.events.message?.length ?? 0) > 0
      : this.host.onReciveAcknowledgement !== undefined || (this.host.events.events.acknowledgement?.length ?? 0) > 0;
  }

  /** Hands waiting entries, in order, to the handlers now set; after the code that set them ran. */
  releaseHeld(): void {
    if (this.held.size === 0) return;
    queueMicrotask(() => {
      for (const [id, entry] of this.held) {
        if (!this.hasConsumer(entry)) continue;
        this.held.delete(id);
        if (!this.seen.has(id)) this.handOver(entry);
      }
    });
  }

  private handOver(entry: InboxEntryWire): void {
    this.seen.add(entry.id);
    try {
      if (entry.kind === 'message') {
        this.typingSignals.stopped(entry.from);
        const files = fileInfos((entry as { files?: unknown }).files);
        const evt: ReceivedMessage = {
          from: entry.from,
          body: entry.body,
          msg_id: entry.msg_id,
          ts: entry.ts,
          ...(files ? { files } : {}),
        };
        this.host.events.emit('message', evt);
        this.host.onReciveMessage?.(evt);
      } else if (entry.kind === 'deleted') {
        this.host.events.emit('deleted', { from: entry.from, msg_id: entry.msg_id, ts: entry.ts });
      } else {
        const evt: ReceivedAcknowledgement = { from: entry.from, msg_id: entry.msg_id, state: entry.state };
        this.host.events.emit('acknowledgement', evt);
        this.host.onReciveAcknowledgement?.(evt);
      }
    } catch (e) {
      // The app's handler threw: the entry was still handed over; report it as the browser would.
      queueMicrotask(() => {
        throw e;
      });
    }
    this.acknowledgeToServer(entry.id);
  }

  /** Batches `msg.received`; one that is lost with a drop only means the server sends the entry again. */
  private acknowledgeToServer(id: string): void {
    this.toAcknowledge.push(id);
    this.ackTimer ??= setTimeout(() => {
      this.ackTimer = undefined;
      const ids = this.toAcknowledge;
      this.toAcknowledge = [];
      for (let i = 0; i < ids.length; i += MessagingLimits.maxReceivedIds) {
        this.host.signal()?.send({ t: 'msg.received', ids: ids.slice(i, i + MessagingLimits.maxReceivedIds) });
      }
    }, 0);
  }
}
