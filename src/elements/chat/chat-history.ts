import { css, html, nothing, type ReactiveController, type ReactiveControllerHost } from 'lit';
import type { HistoryItem } from '../../protocol/index.js';
import type { OoVooClient } from '../../sdk/client.js';
import type { HistoryParams, Messaging } from '../../sdk/messaging/messaging.js';
import type { ConferenceContextValue } from '../context.js';
import { langOf } from '../lang/lang.js';
import type { ChatMessage, ChatStrings } from './chat-message.js';
import type { ReadTracker } from './read-tracker.js';
import type { ReceiptState } from './transports.js';

/** The conversation <oovoo-chat> shows, as the server keeps it. */
export interface HistorySource {
  readonly messaging: Messaging;
  readonly params: HistoryParams;
  /** The signed-in user. */
  readonly own: string;
  /** Whom the user's messages went to (the chat's `to`); none in a call. */
  readonly recipients: readonly string[];
  /** A call's chat: kept without receipts; what was said before one joined is not counted unread. */
  readonly call: boolean;
}

/**
 * The conversation the server keeps for a chat: with the people in `to`, or, in a call, the call's
 * once joined; `client` only while the chat is bound.
 */
export function historySource(
  client: OoVooClient | undefined,
  own: string | undefined,
  chat: { inCall: boolean; call: ConferenceContextValue | undefined; to: readonly string[] },
): HistorySource | undefined {
  if (!client || !own) return undefined;
  const { call, to } = chat;
  const messaging = client.Messaging;
  if (chat.inCall)
    return call?.conference && call.uid
      ? { messaging, params: { conference: call.conferenceId }, own, recipients: [], call: true }
      : undefined;
  if (to.length === 0) return undefined;
  return { messaging, params: to.length === 1 ? { with: to[0] } : { group: to }, own, recipients: to, call: false };
}

interface HistoryHost extends ReactiveControllerHost, HTMLElement {
  messages: readonly ChatMessage[];
  readonly renderRoot: HTMLElement | DocumentFragment;
}

export interface ChatHistoryOptions {
  /** The conversation now; undefined while there is none (signed out, nobody in `to`, not in the call yet). */
  source(): HistorySource | undefined;
  log(): HTMLElement | null;
  /** Messages per page (the chat's `history-page`): 1 to 100, else 50. */
  pageSize(): number;
  /** A receipt of one of the user's kept messages, as it stands. */
  receipt(id: string, from: string, state: ReceiptState): void;
  /** The chat's received messages not seen yet: kept ones the user has not read go in, those read elsewhere out. */
  readonly reads: Pick<ReadTracker, 'add' | 'forget'>;
  /** After a page changed what is unseen. */
  unseenChanged(): void;
  fail(e: unknown): void;
  t(key: keyof ChatStrings): string;
}

/** Near the top by this much, the older page is asked for. */
const TOP_PX = 48;

const dayOf = (ts: number) => new Date(ts).toDateString();

export const historyStyles = css`
  li[part='day'] {
    background: none;
    justify-self: center;
    max-width: none;
    padding: 0;
    font-size: 0.75rem;
    color: var(--_muted);
  }
  [part='body'].deleted {
    font-style: italic;
    color: var(--_muted);
  }
  [part='delete'] {
    font: inherit;
    font-size: 0.75rem;
    margin-inline-start: 0.5rem;
    padding: 0;
    border: 0;
    background: none;
    color: var(--_muted);
    text-decoration: underline;
    cursor: pointer;
  }
`;

/**
 * The history of <oovoo-chat> (persistent chat, and a call's chat): the newest page when the chat
 * opens (after a reload too), with receipts as they stand; older pages when the log is scrolled to
 * its top, keeping what the reader looks at in place; a date line between days (`Intl`); deleted
 * messages as "Message deleted", and a delete action on the user's own.
 */
export class ChatHistory implements ReactiveController {
  private key: string | undefined;
  private source: HistorySource | undefined;
  /** The older page's cursor; null once the start is reached. */
  private next: string | null = null;
  private loading = false;
  /** Deletions heard live of messages not shown yet, by id (sender): a page read before them may bring them. */
  private gone = new Map<string, string>();
  /** Before an older page went in above: where the reader was, to stay there. */
  private keep: { height: number; top: number } | undefined;
  private format: { locale: string; format: Intl.DateTimeFormat } | undefined;
  // Scroll events do not bubble: the shadow root hears the log's while capturing.
  private readonly onScroll = (e: Event) => {
    const log = e.target as HTMLElement;
    if (log.getAttribute?.('part') === 'log' && log.scrollTop <= TOP_PX) this.older();
  };

  constructor(
    private readonly host: HistoryHost,
    private readonly options: ChatHistoryOptions,
  ) {
    host.addController(this);
  }

  hostConnected(): void {
    this.host.renderRoot.addEventListener('scroll', this.onScroll, true);
  }

  hostDisconnected(): void {
    this.host.renderRoot.removeEventListener('scroll', this.onScroll, true);
    // Back in the page, the chat reads its conversation again (what it shows already stays once).
    this.key = undefined;
    this.source = undefined;
  }

  /** Before each render: a new conversation (or the first) loads its newest page. */
  hostUpdate(): void {
    const source = this.options.source();
    const key = source && JSON.stringify([source.own, source.params]);
    if (key === this.key) return;
    this.key = key;
    this.source = source;
    this.next = null;
    this.loading = false;
    this.gone = new Map();
    if (source) void this.load(source);
  }

  hostUpdated(): void {
    const log = this.options.log();
    if (!log) return;
    if (this.keep) {
      log.scrollTop = log.scrollHeight - this.keep.height + this.keep.top;
      this.keep = undefined;
    } else if (log.scrollHeight <= log.clientHeight) {
      // Nothing to scroll yet: fill the log.
      this.older();
    }
  }

  /** `from` deleted message `id` for everyone. */
  deleted(id: string, from: string): void {
    const { messages } = this.host;
    if (!messages.some((m) => m.id === id && m.from === from)) this.gone.set(id, from);
    if (!messages.some((m) => m.id === id && m.from === from && !m.deleted)) return;
    this.host.messages = messages.map((m) => (m.id === id && m.from === from ? { ...m, body: '', deleted: true } : m));
  }

  /** The date line before `m` when its day is not the one before it (nor today, for the first). */
  dayBefore(m: ChatMessage, previous: ChatMessage | undefined) {
    const day = dayOf(m.ts);
    if (day === dayOf(previous?.ts ?? Date.now())) return nothing;
    const date = new Date(m.ts);
    return html`<li part="day">
      <time datetime=${date.toISOString().slice(0, 10)}>${this.dateFormat().format(date)}</time>
    </li>`;
  }

  /** The delete action of one of the user's own sent messages (persistent chat). */
  deleteButton(m: ChatMessage) {
    const source = this.source;
    if (!source || source.call || !m.own || m.sending || m.failed || m.deleted) return nothing;
    return html`<button
      part="delete"
      type="button"
      title=${this.options.t('deleteMessageTitle')}
      @click=${() => this.remove(source, m)}
    >
      ${this.options.t('deleteMessage')}
    </button>`;
  }

  private remove(source: HistorySource, m: ChatMessage): void {
    source.messaging.deleteMessage(m.id).then(
      () => this.deleted(m.id, m.from),
      (e: unknown) => this.options.fail(e),
    );
  }

  private older(): void {
    if (this.source && this.next && !this.loading) void this.load(this.source, this.next);
  }

  private async load(source: HistorySource, before?: string): Promise<void> {
    this.loading = true;
    try {
      const page = await source.messaging.history({
        ...source.params,
        ...(before ? { before } : {}),
        limit: Math.min(100, Math.max(1, Math.trunc(this.options.pageSize()) || 50)),
      });
      if (source !== this.source) return;
      this.next = page.next;
      const log = this.options.log();
      if (before && log) this.keep = { height: log.scrollHeight, top: log.scrollTop };
      this.merge(source, page.items, before === undefined);
    } catch (e) {
      if (source === this.source) this.options.fail(e);
    } finally {
      if (source === this.source) this.loading = false;
    }
  }

  /**
   * Adds kept messages the chat does not show yet (older pages above, the newest in time order with
   * what came live), and takes what the page knows of those it shows already: receipts, deletions,
   * a message read elsewhere; a deletion heard live after the server read the page still holds.
   * Someone else's message this user never acknowledged gets Delivered here: when the page came
   * first, its live delivery is only announced (chat.ts), neither shown nor acknowledged again.
   */
  private merge(source: HistorySource, items: readonly HistoryItem[], newest: boolean): void {
    const shown = new Set(this.host.messages.map((m) => m.id));
    const kept: ChatMessage[] = [];
    let unseenChanged = false;
    for (const entry of [...items].reverse()) {
      // Deleted live after the server read this page.
      const item: HistoryItem =
        this.gone.get(entry.msg_id) === entry.from ? { ...entry, body: '', deleted: true } : entry;
      const own = item.from === source.own;
      if (own)
        for (const [uid, state] of Object.entries(item.receipts ?? {})) this.options.receipt(item.msg_id, uid, state);
      // This user's own receipt of someone else's message, as the server keeps it (none in a call).
      const mine = own || source.call ? 'Read' : item.receipts?.[source.own];
      if (shown.has(item.msg_id)) {
        if (item.deleted) this.deleted(item.msg_id, item.from);
        if (mine === 'Read' && !own && !source.call) {
          this.options.reads.forget(item.msg_id);
          unseenChanged = true;
        }
        continue;
      }
      kept.push({
        id: item.msg_id,
        from: item.from,
        body: item.body,
        ts: item.ts,
        ...(item.files?.length && !item.deleted ? { files: item.files } : {}),
        own,
        recipients: own ? source.recipients : [],
        ...(item.deleted ? { deleted: true } : {}),
      });
      if (item.deleted || mine === 'Read') continue;
      if (mine === undefined) this.acknowledge(source, item);
      this.options.reads.add(item.msg_id);
      unseenChanged = true;
    }
    if (kept.length > 0) {
      const all = [...kept, ...this.host.messages];
      this.host.messages = newest ? all.sort((a, b) => a.ts - b.ts) : all;
    } else this.host.requestUpdate();
    if (unseenChanged) this.options.unseenChanged();
  }

  /** Delivered for a kept message of someone else, once: the chat shows each message once. */
  private acknowledge(source: HistorySource, item: HistoryItem): void {
    source.messaging
      .sendAcknowledgement({ to: [item.from], msg_id: item.msg_id, state: 'Delivered' })
      .catch((e: unknown) => this.options.fail(e));
  }

  private dateFormat(): Intl.DateTimeFormat {
    const locale = langOf(this.host);
    if (this.format?.locale !== locale) {
      let format: Intl.DateTimeFormat;
      try {
        format = new Intl.DateTimeFormat(locale || undefined, { dateStyle: 'full' });
      } catch {
        // Not a language tag: the browser's language.
        format = new Intl.DateTimeFormat(undefined, { dateStyle: 'full' });
      }
      this.format = { locale, format };
    }
    return this.format.format;
  }
}
