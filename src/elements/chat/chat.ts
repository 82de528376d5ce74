import { ContextConsumer } from '@lit/context';
import { html, nothing, type PropertyValues, type PropertyDeclarations } from 'lit';
import type { OoVooClient } from '../../sdk/client.js';
import type { FileInfo } from '../../protocol/files.js';
import type { Conference } from '../../sdk/conference/index.js';
import { OoVooError } from '../../sdk/errors.js';
import { OovooElement } from '../base/oovoo-element.js';
import { clientContext, conferenceContext } from '../context.js';
import {
  OovooErrorEvent,
  OovooMessageEvent,
  OovooReceiptEvent,
  OovooSendEvent,
  OovooUnreadChangeEvent,
  type ChatMessageDetail,
} from '../events/index.js';
import {
  DEFAULT_STRINGS,
  failureWords,
  messageStatus,
  messageTime,
  recipientList,
  recordReceipt,
  unreadConverter,
  type ChatMessage,
  type ChatStrings,
  type Receipts,
} from './chat-message.js';
import styles from './chat.styles.js';
import { ChatAttachments, attachStyles } from './chat-attachments.js';
import { ChatHistory, historySource, historyStyles } from './chat-history.js';
import { ChatTyping } from './chat-typing.js';
import { renderChat } from './chat-view.js';
import { linkedText } from './linkify.js';
import { ReadTracker } from './read-tracker.js';
import { conferenceTransport, messagingTransport, type ChatTransport, type ReceiptState } from './transports.js';

/**
 * A chat: durable messages with receipts over the signed-in client, or, inside an
 * `<oovoo-conference>`, chat among the people in the call.
 *
 * @tagname oovoo-chat
 * @summary Text chat with Delivered/Read receipts; persistent, or within a call.
 *
 * @attr to - Comma-separated user ids to chat with (persistent chat). Messages from them are shown; without it, messages from everyone are shown and nothing can be sent. Ignored inside a conference, where messages go to everyone in the call.
 * @attr unread - Reflected: how many received messages have not been seen yet (absent when none).
 * @attr history-page - How many kept messages to load at a time: the newest on open, older ones when the log is scrolled to its top (default 50, at most 100).
 *
 * @fires {OovooMessageEvent} oovoo-message - A message from someone else arrived. Detail: `{ id, from, body, ts, files? }`. Comes before the `oovoo-unread-change` it causes.
 * @fires {OovooSendEvent} oovoo-send - Cancelable; the user is about to send. Detail: `{ to, body, files? }` (`files`: already uploaded) (`to` is empty inside a conference: everyone).
 * @fires {OovooReceiptEvent} oovoo-receipt - A recipient acknowledged one of the user's messages. Detail: `{ id, from, state }`, `state` `Delivered` then `Read`.
 * @fires {OovooUnreadChangeEvent} oovoo-unread-change - The unread count changed. Detail: `{ unread }`.
 * @fires {OovooErrorEvent} oovoo-error - Sending or acknowledging failed. Detail: the spec's `{ code, name, description }`.
 *
 * @slot header - Above the messages (a title, for example).
 * @slot empty - Shown while there are no messages; replaces the default text.
 *
 * @csspart base - The wrapper of everything.
 * @csspart log - The scrolling message log (role `log`, polite live region).
 * @csspart list - The list of messages.
 * @csspart message - One message; own messages also have the part `own`.
 * @csspart own - The user's own messages.
 * @csspart sender - The sender's name.
 * @csspart time - When the message was sent.
 * @csspart body - The message text.
 * @csspart link - A link in a message (http and https only).
 * @csspart typing - "Alice is typing…", at the end of the log while people in `to` type (persistent chat); the text area tells them when the user types.
 * @csspart status - Sending, Sent, Delivered, Read or Not sent, on own messages.
 * @csspart delete - On own messages (persistent chat): deletes the message for everyone, who then see "Message deleted".
 * @csspart day - The date between messages of different days (and above the first, when it is not today's).
 * @csspart empty - The default text shown while there are no messages.
 * @csspart form - The form to write a message.
 * @csspart input - The text area (Enter sends, Shift+Enter starts a new line).
 * @csspart send - The send button.
 * @csspart attach - The attach button (a paperclip); files may also be dropped on the chat or pasted into it. They go in one message, each image with a thumbnail made in the browser.
 * @csspart uploads - Sends of files under way, or why one failed, above the form.
 * @csspart upload - One send of files: `upload-name`, the `upload-progress` bar and the `upload-cancel` button (nothing is sent then).
 * @csspart upload-error - Why files were not sent, in words (too large for the app, past the user's quota), with an `upload-dismiss` button.
 * @csspart drop-hint - Shown while files are dragged over the chat.
 * @csspart files - A message's files.
 * @csspart file - One file of a message; an image also has the part `image`.
 * @csspart thumbnail - An image's thumbnail (a button): opens the image full size.
 * @csspart file-download - Another file's name: a link that downloads it.
 * @csspart file-size - A file's size.
 * @csspart viewer - The dialog showing an image full size (`full-image`), closed by `viewer-close` or Escape.
 * @csspart sheet-toggle - On a phone inside an `<oovoo-conference>`: opens and closes the chat, a sheet under the call (or beside it in landscape); shows the unread count.
 * @csspart sheet-unread - The unread count on the sheet toggle.
 *
 * @cssprop [--oovoo-chat-height=20rem] - Height of the message log.
 * @cssprop [--oovoo-chat-own-background=#e3efff] - Background of the user's own messages (#1f3b73 in a dark conference).
 * @cssprop [--oovoo-chat-other-background=#f1f1f3] - Background of others' messages (#2b2f38 in a dark conference).
 * @cssprop [--oovoo-surface=transparent] - Behind the messages and the input (a conference's theme sets it).
 * @cssprop [--oovoo-border-color=#8a8a8f] - Border of the log and the input.
 * @cssprop [--oovoo-color-accent=#0a66d8] - Send button and focus color.
 * @cssprop [--oovoo-radius=6px] - Corner radius of messages, input and button.
 */
export class OovooChat extends OovooElement<ChatStrings> {
  static override styles = [OovooElement.styles, styles, historyStyles, attachStyles];
  static override properties: PropertyDeclarations = {
    to: {},
    unread: { type: Number, reflect: true, converter: unreadConverter },
    historyPage: { type: Number, attribute: 'history-page' },
    client: { attribute: false },
    conference: { attribute: false },
    messages: { state: true, attribute: false },
    sheetOpen: { state: true, attribute: false },
  };
  protected readonly defaultStrings = DEFAULT_STRINGS;

  to = '';
  unread = 0;
  historyPage = 50;
  /** The client to use instead of the enclosing `<oovoo-login>`'s. */
  declare client: OoVooClient | undefined;
  /** A joined SDK conference to chat in, instead of the enclosing `<oovoo-conference>`'s. */
  declare conference: Conference | undefined;

  /** Every message of this session, in order of arrival. */
  messages: readonly ChatMessage[] = [];
  /** On a phone inside a conference: the chat's sheet is open (closed, only its toggle shows). */
  private sheetOpen = false;

  private get log(): HTMLElement | null {
    return this.renderRoot?.querySelector('[part="log"]') ?? null;
  }

  // The conference first: when both answer on connect, the chat knows it is in a call before it binds.
  private readonly confCtx = new ContextConsumer(this, {
    context: conferenceContext,
    subscribe: true,
    callback: () => this.rebind(),
  });
  private readonly clientCtx = new ContextConsumer(this, {
    context: clientContext,
    subscribe: true,
    callback: () => this.rebind(),
  });

  private transport: ChatTransport | undefined;
  private boundTo: object | undefined;
  /** Receipts for own messages, by message id then by recipient. */
  private readonly receipts: Receipts = new Map();
  /** Live receipts of own messages not shown yet (a page or the send's answer brings them): announced once shown. */
  private readonly early = new Map<string, [from: string, state: ReceiptState][]>();
  /** Received messages announced with `oovoo-message`: one a page showed first is announced when it arrives live. */
  private readonly announced = new Set<string>();
  /** Received messages not seen yet: Read goes back only once one is really on screen. */
  private readonly reads = new ReadTracker(
    this,
    () => this.log,
    (ids) => this.onSeen(ids),
  );
  private readonly typing = new ChatTyping(this, {
    recipients: () => this.recipients,
    signal: (to, typing) => this.transport?.typing?.(to, typing),
    name: (uid) => this.nameOf(uid),
    t: (key) => this.t(key),
  });
  /** The conversation the server keeps for this chat (history, files); undefined while unbound. */
  private get conversation() {
    const { inCall, recipients: to } = this;
    const client = this.isConnected && this.transport ? this.currentClient : undefined;
    return historySource(client, this.ownUid, { inCall, call: this.confCtx.value, to });
  }
  private readonly attachments = new ChatAttachments(this, {
    target: () => {
      const source = this.canSend ? this.conversation : undefined;
      return source && { messaging: source.messaging, conversation: source.params };
    },
    messaging: () => this.currentClient?.Messaging,
    send: (body, files) => void this.start(body, files),
    fail: (e) => this.fail(e),
    t: (key) => this.t(key),
  });
  private readonly history = new ChatHistory(this, {
    source: () => this.conversation,
    log: () => this.log,
    pageSize: () => this.historyPage,
    receipt: (id, from, state) => recordReceipt(this.receipts, id, from, state),
    reads: this.reads,
    unseenChanged: () => this.setUnread(),
    fail: (e) => this.fail(e),
    t: (key) => this.t(key),
  });
  private stickToBottom = true;
  /** Set by the user's own send: show the newest message even when scrolled up. */
  private scrollToEnd = false;

  override connectedCallback(): void {
    super.connectedCallback();
    this.rebind();
    // Observe the messages again after a disconnect.
    this.requestUpdate();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.rebind();
  }

  /** True when sending is possible: a conference to chat in, or a client and someone to write to. */
  get canSend(): boolean {
    return this.inCall
      ? this.currentConference !== undefined
      : this.currentClient !== undefined && this.recipients.length > 0;
  }

  /**
   * Sends a message as the form does: fires `oovoo-send` (cancelable), shows the message, sends it.
   * Resolves with its id, or undefined when cancelled or it failed (then `oovoo-error` fired).
   */
  send(body: string): Promise<string | undefined> {
    return this.start(body) ?? Promise.resolve(undefined);
  }

  /** Sends files in one message as the attach button does: images with a thumbnail, a progress bar, then the message. */
  attach(files: Iterable<File>): void {
    this.attachments.attach([...files]);
  }

  private get inCall(): boolean {
    return this.conference !== undefined || this.confCtx.value !== undefined;
  }
  private get currentConference(): Conference | undefined {
    return this.conference ?? this.confCtx.value?.conference;
  }
  private get currentClient(): OoVooClient | undefined {
    return this.client ?? this.clientCtx.value?.client;
  }
  private get ownUid(): string | undefined {
    return this.confCtx.value?.uid ?? this.currentClient?.userId;
  }
  private get recipients(): string[] {
    return this.inCall ? [] : recipientList(this.to);
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('client') || changed.has('conference')) this.rebind();
    // Pointed at another conversation (by <oovoo-conversations>, say): nothing of the last one stays.
    if (changed.has('to') && changed.get('to') !== undefined && !this.inCall) this.restart();
    if (changed.has('messages')) this.announce();
    const log = this.log;
    // Follow new messages only when the reader was at the end already (or just sent one).
    this.stickToBottom = this.scrollToEnd || !log || log.scrollTop + log.clientHeight >= log.scrollHeight - 8;
    this.scrollToEnd = false;
  }

  private restart(): void {
    this.messages = [];
    this.receipts.clear();
    this.early.clear();
    this.announced.clear();
    this.reads.clear();
    this.typing.clear();
    this.setUnread();
  }

  protected override updated(): void {
    const log = this.log;
    if (!log) return;
    if (this.stickToBottom) log.scrollTop = log.scrollHeight;
  }

  /** Uses the conference (inside one, or given), else the client's messaging; only while in the page. */
  private rebind(): void {
    const conference = this.currentConference;
    const client = this.currentClient;
    const source = !this.isConnected ? undefined : this.inCall ? conference : client?.Messaging;
    this.requestUpdate();
    if (source === this.boundTo) return;
    this.transport?.close();
    this.transport = undefined;
    this.boundTo = source;
    this.typing.clear();
    const handlers = {
      message: (m: ChatMessageDetail, plain?: boolean) => this.onMessage(m, plain),
      receipt: (id: string, from: string, s: ReceiptState) => this.onReceipt(id, from, s),
      typing: (from: string, on: boolean) => this.shows(from) && this.typing.peer(from, on),
      deleted: (id: string, from: string) => this.history.deleted(id, from),
    };
    if (conference && source === conference)
      this.transport = conferenceTransport(conference, () => this.ownUid, handlers);
    else if (client && source) this.transport = messagingTransport(client.Messaging, handlers);
  }

  /** Whether messages from `uid` belong here: those of the people in `to`, everyone's without it or in a call. */
  private shows(uid: string): boolean {
    const to = this.recipients;
    return to.length === 0 || to.includes(uid);
  }

  private onMessage(message: ChatMessageDetail, plain = false): void {
    if (!this.shows(message.from) || this.announced.has(message.id)) return;
    this.announced.add(message.id);
    // The first page showed it already (and said Delivered if no page had): it still arrived now.
    const shown = this.messages.find((m) => m.id === message.id && m.from === message.from);
    if (shown) {
      if (!shown.deleted) this.emit(new OovooMessageEvent(message));
      return;
    }
    const entry: ChatMessage = { ...message, own: false, recipients: [], plain };
    this.messages = [...this.messages, entry];
    this.acknowledge(entry, 'Delivered');
    this.emit(new OovooMessageEvent(message));
    this.reads.add(message.id);
    this.setUnread();
  }

  private onReceipt(id: string, from: string, next: ReceiptState): void {
    if (!recordReceipt(this.receipts, id, from, next)) return;
    if (this.messages.some((m) => m.own && m.id === id)) {
      this.emit(new OovooReceiptEvent({ id, from, state: next }));
      this.requestUpdate();
    } else if (this.shows(from)) this.early.set(id, [...(this.early.get(id) ?? []), [from, next]]);
  }

  /** Announces the live receipts that came before their message was shown (by a page or a send's answer). */
  private announce(): void {
    if (this.early.size === 0) return;
    const shown = new Set(this.messages.flatMap((m) => (m.own ? [m.id] : [])));
    for (const [id, receipts] of this.early) {
      if (!shown.has(id)) continue;
      this.early.delete(id);
      for (const [from, state] of receipts) this.emit(new OovooReceiptEvent({ id, from, state }));
    }
  }

  /** Starts a send; undefined when there is nothing to send or a listener cancelled it. */
  private start(body: string, files?: readonly FileInfo[]): Promise<string | undefined> | undefined {
    const transport = this.transport;
    const to = this.recipients;
    if (!body.trim()) return undefined;
    if (!transport || !this.canSend) {
      this.emit(
        new OovooErrorEvent(
          OoVooError.badRequest('Nothing to send with: sign in, and set `to` or join a conference.').info,
        ),
      );
      return undefined;
    }
    if (!this.emit(new OovooSendEvent({ to, body, ...(files ? { files } : {}) }))) return undefined;
    const placeholder: ChatMessage = {
      id: `local-${this.messages.length}`,
      from: this.ownUid ?? '',
      body,
      ts: Date.now(),
      own: true,
      recipients: to,
      sending: true,
      ...(files ? { files } : {}),
    };
    this.scrollToEnd = true;
    this.messages = [...this.messages, placeholder];
    // The kept copy the history may have shown meanwhile gives way to the placeholder.
    const replace = (next: ChatMessage) => {
      this.messages = this.messages.flatMap((m) => (m === placeholder ? [next] : m.id === next.id ? [] : [m]));
    };
    return transport.send(to, body, files).then(
      ({ id, recipients }) => {
        replace({ ...placeholder, id, recipients, sending: false });
        // Receipts that came before the send was answered.
        this.announce();
        return id;
      },
      (e: unknown) => {
        replace({
          ...placeholder,
          sending: false,
          failed: failureWords(OoVooError.from(e).info.description, (k) => this.t(k)),
        });
        this.fail(e);
        return undefined;
      },
    );
  }

  private acknowledge(message: ChatMessage, state: ReceiptState): void {
    if (!message.plain)
      this.transport?.acknowledge(message.from, message.id, state).catch((e: unknown) => this.fail(e));
  }

  /** Sends Read for the messages the reader just saw. */
  private onSeen(ids: readonly string[]): void {
    for (const id of ids) {
      const message = this.messages.find((m) => !m.own && m.id === id);
      if (message) this.acknowledge(message, 'Read');
    }
    this.setUnread();
  }

  private setUnread(): void {
    if (this.unread === this.reads.count) return;
    this.unread = this.reads.count;
    this.emit(new OovooUnreadChangeEvent(this.unread));
  }

  private fail(e: unknown): void {
    this.emit(new OovooErrorEvent(OoVooError.from(e).info));
  }

  private nameOf(uid: string): string {
    return this.confCtx.value?.participants.find((p) => p.uid === uid)?.displayName || uid;
  }

  protected override render() {
    return renderChat({
      messages: this.messages,
      unread: this.unread,
      canSend: this.canSend,
      sheet: this.confCtx.value !== undefined,
      sheetOpen: this.sheetOpen,
      setSheetOpen: (open) => (this.sheetOpen = open),
      day: (m, previous) => this.history.dayBefore(m, previous),
      message: (m) => this.renderMessage(m),
      typing: this.typing.render(),
      uploads: this.attachments.renderUploads(),
      attach: this.attachments.renderButton(),
      submit: (body) => this.start(body) !== undefined,
      t: (key) => this.t(key),
    });
  }

  private renderMessage(m: ChatMessage) {
    const time = new Date(m.ts);
    return html`<li part=${m.own ? 'message own' : 'message'} data-id=${m.id} ?data-unseen=${this.reads.isUnseen(m.id)}>
      <span part="sender">${m.own ? this.t('you') : this.nameOf(m.from)}</span>
      <time part="time" datetime=${time.toISOString()}>${messageTime(time, this)}</time>
      ${
        m.deleted
          ? html`<p part="body" class="deleted">${this.t('messageDeleted')}</p>`
          : html`<p part="body">${linkedText(m.body)}</p>
              ${this.attachments.renderFiles(m)}`
      }
      ${m.own && !m.deleted ? html`<span part="status">${m.failed ?? this.t(messageStatus(m, this.receipts.get(m.id)))}</span>${this.history.deleteButton(m)}` : nothing}
    </li>`;
  }
}

OovooChat.define('oovoo-chat');

declare global {
  interface HTMLElementTagNameMap {
    'oovoo-chat': OovooChat;
  }
}
