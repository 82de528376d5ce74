import { createNanoEvents, type Emitter, type Unsubscribe } from 'nanoevents';
import type {
  AcknowledgeStateValue,
  ConversationPage,
  FileInfo,
  HistoryPage,
  MsgDeleteResult,
  MsgDeliverFrame,
  MsgReceiptResult,
  MsgSendResult,
  MsgTypingServerFrame,
} from '../../protocol/index.js';
import { AcknowledgeState } from '../enums.js';
import { OoVooError, settle, type ResultCallback } from '../errors.js';
import type { SignalClient } from '../signaling/signal-client.js';
import type { ConversationsParams } from './conversation-requests.js';
import type { UploadParams } from './files.js';
import { loadMessagingExtras } from './load-messaging-extras.js';
import type { MessagingInbox } from './messaging-inbox.js';

/** `onReciveMessage(evt)`: the spec's fields, and when the server stored it. */
export interface ReceivedMessage {
  readonly from: string;
  readonly body: string;
  readonly msg_id: string;
  readonly ts: number;
  /** Our addition: the files it carries (`Messaging.download` fetches each, and each image's `thumb`); absent when none. */
  readonly files?: readonly FileInfo[];
}

/** `onReciveAcknowledgement(evt)`. */
export interface ReceivedAcknowledgement {
  readonly from: string;
  readonly msg_id: string;
  readonly state: AcknowledgeStateValue;
}

/** `onTyping(evt)`: `from` started typing to this user, or stopped (said so, sent, or lapsed after 5 s). */
export interface TypingEvent {
  readonly from: string;
  readonly typing: boolean;
}

/** `events.on('deleted', fn)`: `from` deleted its message `msg_id` for everyone (`Messaging.deleteMessage`). */
export interface DeletedMessage {
  readonly from: string;
  readonly msg_id: string;
  readonly ts: number;
}

export interface MessagingEvents {
  message(evt: ReceivedMessage): void;
  deleted(evt: DeletedMessage): void;
  acknowledgement(evt: ReceivedAcknowledgement): void;
  typing(evt: TypingEvent): void;
}

export interface SendParams {
  /** Recipients' user ids (numbers are accepted, as the spec's samples pass them). */
  to: ReadonlyArray<string | number> | string | number;
  body: string;
  /**
   * Our addition: files uploaded into this conversation with `Messaging.upload` (its results, or their
   * `{ id, thumb }`), at most 10. Keep a `body` (the file names, say): apps on the spec's API see only it.
   */
  files?: ReadonlyArray<Pick<FileInfo, 'id' | 'thumb'>>;
}

export interface AcknowledgementParams {
  to: ReadonlyArray<string | number> | string | number;
  msg_id: string;
  state: AcknowledgeStateValue;
}

/**
 * `Messaging.history(params)`: exactly one of `with` (the other user of a 1:1), `group` (the other
 * members of a group) or `conference` (a call's chat, for those in the call); `before`: a page's
 * `next`, for the page older than it; `limit`: 1 to 100 (default 50).
 */
export interface HistoryParams {
  with?: string | number;
  group?: ReadonlyArray<string | number>;
  conference?: string;
  before?: string | null;
  limit?: number;
}

/** What the inbox (messaging-inbox.ts) reads of `ooVooClient.Messaging`. */
export interface MessagingHost {
  readonly events: Emitter<MessagingEvents>;
  readonly onReciveMessage: ((evt: ReceivedMessage) => void) | undefined;
  readonly onReciveAcknowledgement: ((evt: ReceivedAcknowledgement) => void) | undefined;
  readonly onTyping: ((evt: TypingEvent) => void) | undefined;
  signal(): SignalClient | undefined;
}

/**
 * `ooVooClient.Messaging`: durable 1:1 and group text with Delivered/Read receipts.
 *
 * Sends are durable requests of the signal client: retried with the same client id after a
 * reconnect, so a message is stored once however often the connection drops. Received entries reach the app
 * once each (duplicates are dropped by id) and are acknowledged to the server only after a
 * handler took them; entries that arrive before any handler is set wait for one.
 */
export class Messaging {
  readonly AcknowledgeState = AcknowledgeState;
  /** Typed events beside the spec's handler properties: `Messaging.events.on('message', fn)`. */
  readonly events: Emitter<MessagingEvents> = createNanoEvents<MessagingEvents>();

  private signal: SignalClient | undefined;
  private unbind: Unsubscribe[] = [];
  /** The inbox once its code is loaded; deliveries wait in `early` meanwhile. */
  private inbox: MessagingInbox | undefined;
  private loading: Promise<MessagingInbox> | undefined;
  private early: Array<MsgDeliverFrame | MsgTypingServerFrame> = [];
  /** Sends and receipts that wait for the inbox's code. */
  private waiting = 0;
  private messageHandler: ((evt: ReceivedMessage) => void) | undefined;
  private acknowledgementHandler: ((evt: ReceivedAcknowledgement) => void) | undefined;
  /** Our addition: someone started or stopped typing to this user (also `events.on('typing', fn)`). */
  declare onTyping: ((evt: TypingEvent) => void) | undefined;

  constructor() {
    this.send = this.send.bind(this);
    this.sendAcknowledgement = this.sendAcknowledgement.bind(this);
  }

  /** The spec's spelling. */
  get onReciveMessage(): ((evt: ReceivedMessage) => void) | undefined {
    return this.messageHandler;
  }
  set onReciveMessage(handler: ((evt: ReceivedMessage) => void) | undefined) {
    this.messageHandler = typeof handler === 'function' ? handler : undefined;
    this.inbox?.releaseHeld();
  }
  get onReceiveMessage(): ((evt: ReceivedMessage) => void) | undefined {
    return this.onReciveMessage;
  }
  set onReceiveMessage(handler: ((evt: ReceivedMessage) => void) | undefined) {
    this.onReciveMessage = handler;
  }

  /** The spec's spelling. */
  get onReciveAcknowledgement(): ((evt: ReceivedAcknowledgement) => void) | undefined {
    return this.acknowledgementHandler;
  }
  set onReciveAcknowledgement(handler: ((evt: ReceivedAcknowledgement) => void) | undefined) {
    this.acknowledgementHandler = typeof handler === 'function' ? handler : undefined;
    this.inbox?.releaseHeld();
  }
  get onReceiveAcknowledgement(): ((evt: ReceivedAcknowledgement) => void) | undefined {
    return this.onReciveAcknowledgement;
  }
  set onReceiveAcknowledgement(handler: ((evt: ReceivedAcknowledgement) => void) | undefined) {
    this.onReciveAcknowledgement = handler;
  }

  /** Requests not yet answered by the server (they are retried after a reconnect). */
  get unacknowledgedSends(): number {
    return this.waiting + (this.inbox?.unanswered ?? 0);
  }

  /**
   * The spec's `send({ to, body }, cb)`: cb gets `{ msg_id, delivered, offline }` once the server
   * stored the message, or `{ error }`. Also returns a Promise of the same result.
   */
  send(params: SendParams, cb?: ResultCallback<MsgSendResult>): Promise<MsgSendResult> {
    return this.call((inbox) => inbox.send(params), cb);
  }

  /** The spec's `sendAcknowledgement({ to, msg_id, state }, cb)`. */
  sendAcknowledgement(params: AcknowledgementParams, cb?: ResultCallback<MsgReceiptResult>): Promise<MsgReceiptResult> {
    return this.call((inbox) => inbox.acknowledge(params), cb);
  }

  /**
   * Our addition: the user is typing to `to` (`typing` false: stopped; default true). Call it on
   * every keystroke: "typing" goes out at most every 2.5 s, "stopped" only after it (a `send` to
   * the same people stops it too). Rejects only a bad `to`; without a connection nothing goes out.
   */
  typing(to: SendParams['to'], typing?: boolean): Promise<void> {
    // The default (true) is the extras' to apply: this script stays as small as it can.
    return this.work().then((inbox) => inbox.typing(to, typing));
  }

  /**
   * Our addition: one page of a conversation's history kept by the server (for the app's retention,
   * 30 days by default), newest first, each with its receipts as they stand; `next` asks for the
   * older page. Only a member of the conversation can read it (-35001 otherwise).
   */
  history(params: HistoryParams, cb?: ResultCallback<HistoryPage>): Promise<HistoryPage> {
    return this.call((inbox) => inbox.history(params), cb);
  }

  /**
   * Our addition: one page of the user's conversations (1:1 and group, those the app's history still
   * holds), newest activity first: each names its other people as `history` takes them (`with` or
   * `group`), with its last message and how many messages from the others came after the user's last
   * Read. `next` asks for the following page (`before`); `limit` 1 to 100 (default 30).
   */
  conversations(params?: ConversationsParams, cb?: ResultCallback<ConversationPage>): Promise<ConversationPage> {
    return settle(
      this.whenLoaded((inbox) => inbox.conversations(params)),
      cb,
    );
  }

  /**
   * Our addition: deletes a message this user sent, for everyone: the history shows it deleted and
   * the other members get the `deleted` event (now, or when they next connect).
   */
  deleteMessage(msgId: string, cb?: ResultCallback<MsgDeleteResult>): Promise<MsgDeleteResult> {
    return this.call((inbox) => inbox.deleteMessage(msgId), cb);
  }

  /**
   * Our addition: uploads a file (a `File` or any `Blob`) into a conversation over HTTP with the session
   * token, for a message to carry (`send({ to, body, files: [result] })`). The server decides its type
   * from the content and refuses one too large for the app or past the user's quota (the error says so).
   * `onProgress(sent, total)` follows it; aborting `signal` cancels it. cb gets the `FileInfo`.
   */
  upload(file: Blob, params: UploadParams, cb?: ResultCallback<FileInfo>): Promise<FileInfo> {
    return this.call((inbox) => inbox.upload(file, params), cb);
  }

  /**
   * Our addition: the bytes of a file of one of the user's conversations (a message's `files`, or an
   * image's `thumb`), typed as the server found it. Only the conversation's members may read it.
   */
  download(fileId: string): Promise<Blob> {
    return this.work().then((inbox) => inbox.download(fileId));
  }

  /** Both of the spec's styles (callback and Promise) of a request to the inbox. */
  private call<T extends object>(request: (inbox: MessagingInbox) => Promise<T>, cb?: ResultCallback<T>): Promise<T> {
    return settle(this.whenLoaded(request), cb);
  }

  /** Runs `request` once the inbox is there; counted as unanswered meanwhile. */
  private async whenLoaded<T>(request: (inbox: MessagingInbox) => Promise<T>): Promise<T> {
    this.waiting++;
    let inbox: MessagingInbox;
    try {
      inbox = await this.work();
    } finally {
      this.waiting--;
    }
    return request(inbox);
  }

  /** The inbox, its code loaded on first use; a failed load is tried again next time. */
  private work(): Promise<MessagingInbox> {
    return (this.loading ??= loadMessagingExtras().then(
      ({ MessagingInbox }) => {
        const inbox = (this.inbox = new MessagingInbox(this.host));
        for (const frame of this.early.splice(0)) inbox.take(frame);
        return inbox;
      },
      (e: unknown) => {
        this.loading = undefined;
        throw OoVooError.unspecified(`Messaging could not load: ${e}`);
      },
    ));
  }

  /** What the inbox reads: the handlers as they are set now, and the connection now. */
  private readonly host: MessagingHost = ((messaging) => ({
    events: messaging.events,
    get onReciveMessage() {
      return messaging.messageHandler;
    },
    get onReciveAcknowledgement() {
      return messaging.acknowledgementHandler;
    },
    get onTyping() {
      return messaging.onTyping;
    },
    signal: () => messaging.signal,
  }))(this);

  /** @internal Called by OoVooClient for each new connection. */
  attach(signal: SignalClient): void {
    for (const off of this.unbind) off();
    // Requests of a replaced connection are failed by its close().
    this.signal = signal;
    this.unbind = [
      signal.events.on('frame', (frame) => {
        if ('conf' in frame) return;
        if (this.inbox) this.inbox.take(frame);
        else {
          this.early.push(frame);
          void this.work().catch(() => undefined);
        }
      }),
    ];
  }
}
