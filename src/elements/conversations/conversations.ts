import { ContextConsumer } from '@lit/context';
import { html, nothing, type PropertyDeclarations, type PropertyValues } from 'lit';
import type { OoVooClient } from '../../sdk/client.js';
import { OoVooError } from '../../sdk/errors.js';
import { OovooElement } from '../base/oovoo-element.js';
import { clientContext } from '../context.js';
import { OovooConversationSelectEvent } from '../events/conversation-select.js';
import { OovooErrorEvent } from '../events/error.js';
import type { OovooSendEvent } from '../events/send.js';
import type { OovooUnreadChangeEvent } from '../events/unread-change.js';
import { langOf } from '../lang/lang.js';
import { ConversationList, keyOf, type ListedConversation } from './conversation-list.js';
import {
  DEFAULT_STRINGS,
  nameOf,
  previewOf,
  relativeTime,
  unreadLabel,
  type ConversationsStrings,
} from './conversations-strings.js';
import styles from './conversations.styles.js';

/** The chat this element points at the chosen conversation (only its `to` is used). */
type ChatLike = HTMLElement & { to: string };

/** Relative times are written again this often. */
const CLOCK_MS = 30_000;

/**
 * The signed-in user's conversations, newest first, each with its other people, its last message,
 * when, an unread count and "typing…", kept up to date as messages, deletions and typing arrive.
 * Choosing one fires `oovoo-conversation-select`; an `<oovoo-chat>` placed inside is pointed at the
 * chosen conversation (its `to`) and shown beside the list, and it sends Read as the reader sees the
 * messages, which brings the count down. Markup alone makes a messenger:
 * `<oovoo-login …><oovoo-conversations><oovoo-chat></oovoo-chat></oovoo-conversations></oovoo-login>`.
 * Below 40rem of its own width it shows one at a time: the list, or the chat with a back button.
 *
 * @tagname oovoo-conversations
 * @summary A messenger's list of conversations, beside the chat it drives.
 *
 * @attr selected - Reflected: the chosen conversation's other people, comma-separated, as a chat's `to` (`bob`, or `bob,carol` for a group). Set it to open one.
 * @attr page-size - Conversations read at a time: the newest on open, more with the Show more button (default 30, at most 100).
 *
 * @fires {OovooConversationSelectEvent} oovoo-conversation-select - The user chose a conversation. Detail: `{ with }` (a 1:1) or `{ group }` (its other members), as `Messaging.history` takes them.
 * @fires {OovooErrorEvent} oovoo-error - Reading the conversations failed. Detail: the spec's `{ code, name, description }`.
 *
 * @slot - An `<oovoo-chat>` to show the chosen conversation in (optional).
 * @slot header - Above the list (a title, for example).
 * @slot empty - Shown while there are no conversations; replaces the default text.
 *
 * @csspart base - The wrapper of the list and the chat.
 * @csspart list-pane - The list, its header and its Show more button.
 * @csspart list - The list of conversations (role `listbox`; arrow keys, Home and End move, Enter or Space chooses).
 * @csspart conversation - One conversation (role `option`); the chosen one also has the part `selected`.
 * @csspart selected - The chosen conversation.
 * @csspart name - Its other people.
 * @csspart time - When its last message was sent, relative ("5 min. ago").
 * @csspart preview - Its last message ("You: …", "Message deleted", a file's name), or "typing…".
 * @csspart unread - How many messages from the others the user has not read (absent at 0).
 * @csspart more - The Show more button, while older conversations remain.
 * @csspart empty - The default text while there are none.
 * @csspart chat - Around the slotted chat.
 * @csspart back - On a narrow element: back from the chat to the list.
 * @csspart choose - Where the chat goes, while no conversation is chosen.
 *
 * @cssprop [--oovoo-conversations-width=18rem] - Width of the list beside the chat.
 * @cssprop [--oovoo-conversations-height=24rem] - Most height of the list before it scrolls.
 * @cssprop [--oovoo-conversations-selected-background=#e3efff] - Behind the chosen conversation.
 * @cssprop [--oovoo-border-color=#8a8a8f] - Border of the list.
 * @cssprop [--oovoo-color-accent=#0a66d8] - Unread badge, "typing…" and focus color.
 */
export class OovooConversations extends OovooElement<ConversationsStrings> {
  static override styles = [OovooElement.styles, styles];
  static override properties: PropertyDeclarations = {
    selected: { reflect: true },
    pageSize: { type: Number, attribute: 'page-size' },
    client: { attribute: false },
    showingChat: { state: true, attribute: false },
    chat: { state: true, attribute: false },
  };
  protected readonly defaultStrings = DEFAULT_STRINGS;

  selected = '';
  pageSize = 30;
  /** The client to use instead of the enclosing `<oovoo-login>`'s. */
  declare client: OoVooClient | undefined;

  /** On a narrow element: the chat shows instead of the list. */
  private showingChat = false;
  /** The slotted `<oovoo-chat>`, if any. */
  private chat: ChatLike | undefined;
  /** The option that takes focus (roving tabindex). */
  private active = 0;
  private clock: ReturnType<typeof setInterval> | undefined;

  private readonly clientCtx = new ContextConsumer(this, {
    context: clientContext,
    subscribe: true,
    callback: () => this.rebind(),
  });
  private readonly list = new ConversationList(this, {
    pageSize: () => Math.min(100, Math.max(1, Math.trunc(this.pageSize) || 30)),
    fail: (e) => this.emit(new OovooErrorEvent(OoVooError.from(e).info)),
  });

  // The chat inside sends and counts what its reader has not seen: the list follows both.
  private readonly onSend = (e: OovooSendEvent) => {
    const own = this.ownUid;
    if (own && e.target === this.chat) this.list.sent(own, e.detail.to, e.detail.body);
  };
  private readonly onUnread = (e: OovooUnreadChangeEvent) => {
    if (e.target === this.chat && this.selected) this.list.setUnread(keyOf(this.selected.split(',')), e.detail.unread);
  };

  override connectedCallback(): void {
    super.connectedCallback();
    this.addEventListener('oovoo-send', this.onSend);
    this.addEventListener('oovoo-unread-change', this.onUnread);
    this.clock = setInterval(() => this.requestUpdate(), CLOCK_MS);
    this.rebind();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.removeEventListener('oovoo-send', this.onSend);
    this.removeEventListener('oovoo-unread-change', this.onUnread);
    clearInterval(this.clock);
  }

  /** The conversations as listed now, newest first. */
  get conversations(): readonly ListedConversation[] {
    return this.list.items;
  }

  /** Opens a conversation as choosing it does: `selected`, the chat's `to`, `oovoo-conversation-select`. */
  select(others: readonly string[] | string): void {
    const key = keyOf(typeof others === 'string' ? others.split(',').map((s) => s.trim()) : others);
    if (!key) return;
    this.selected = key;
    this.showingChat = true;
    const people = key.split(',');
    this.emit(new OovooConversationSelectEvent(people.length > 1 ? { group: people } : { with: people[0]! }));
  }

  private get ownUid(): string | undefined {
    return this.clientCtx.value?.userId ?? this.currentClient?.userId;
  }
  private get currentClient(): OoVooClient | undefined {
    return this.client ?? this.clientCtx.value?.client;
  }

  private rebind(): void {
    const client = this.currentClient;
    this.list.bind(this.isConnected ? client?.Messaging : undefined, this.ownUid);
  }

  // Untyped: `chat` is private.
  protected override willUpdate(changed: PropertyValues): void {
    if (changed.has('client')) this.rebind();
    if ((changed.has('selected') || changed.has('chat')) && this.chat) {
      // The chat shows only the chosen conversation: with none, it stays hidden (and reads nothing).
      const to = this.selected ? keyOf(this.selected.split(',')) : '';
      if (this.chat.to !== to) this.chat.to = to;
    }
  }

  private onSlotChange(e: Event): void {
    const found = (e.target as HTMLSlotElement)
      .assignedElements({ flatten: true })
      .map((el) => (el.localName === 'oovoo-chat' ? el : el.querySelector('oovoo-chat')))
      .find((el) => el !== null) as ChatLike | undefined;
    // A chat that came with its own `to` opens that conversation.
    if (found && found !== this.chat && !this.selected && found.to) this.selected = keyOf(found.to.split(','));
    this.chat = found;
  }

  private onKeyDown(e: KeyboardEvent): void {
    const count = this.list.items.length;
    if (count === 0) return;
    const moves: Record<string, number> = {
      ArrowDown: this.active + 1,
      ArrowUp: this.active - 1,
      Home: 0,
      End: count - 1,
    };
    if (e.key in moves) {
      e.preventDefault();
      this.focusOption(Math.min(count - 1, Math.max(0, moves[e.key]!)));
    } else if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      const c = this.list.items[this.active];
      if (c) this.select(c.key);
    }
  }

  private focusOption(index: number): void {
    this.active = index;
    this.requestUpdate();
    void this.updateComplete.then(() =>
      this.renderRoot.querySelector<HTMLElement>(`[role='option'][data-index='${index}']`)?.focus(),
    );
  }

  private back(): void {
    this.showingChat = false;
    this.focusOption(
      Math.max(
        0,
        this.list.items.findIndex((c) => c.key === this.selected),
      ),
    );
  }

  protected override render() {
    const { items, loading, next } = this.list;
    if (this.active >= items.length) this.active = Math.max(0, items.length - 1);
    const classes = [this.chat ? '' : 'alone', this.showingChat && this.selected ? 'showing-chat' : ''].join(' ');
    return html`<div part="base" class=${classes}>
      <div part="list-pane">
        <slot name="header"></slot>
        ${
          items.length
            ? html`<ul part="list" role="listbox" aria-label=${this.t('conversationsLabel')}>
                ${items.map((c, i) => this.renderConversation(c, i))}
              </ul>`
            : html`<slot name="empty"
                ><p part="empty" role="status">
                  ${loading ? this.t('conversationsLoading') : this.t('conversationsEmpty')}
                </p></slot
              >`
        }
        ${
          next
            ? html`<button part="more" type="button" ?disabled=${loading} @click=${() => void this.list.more()}>
                ${this.t('conversationsMore')}
              </button>`
            : nothing
        }
      </div>
      <div part="chat">
        <button part="back" type="button" @click=${this.back}>${this.t('conversationsBack')}</button>
        ${this.selected ? nothing : html`<p part="choose">${this.t('conversationsChoose')}</p>`}
        <div ?hidden=${!this.selected}><slot @slotchange=${this.onSlotChange}></slot></div>
      </div>
    </div>`;
  }

  private renderConversation(c: ListedConversation, index: number) {
    const chosen = c.key === this.selected;
    const typing = this.list.typing(c);
    const unread = c.unread >= 999 ? '999+' : String(c.unread);
    return html`<li
      part=${chosen ? 'conversation selected' : 'conversation'}
      role="option"
      aria-selected=${String(chosen)}
      tabindex=${index === this.active ? '0' : '-1'}
      data-index=${index}
      data-key=${c.key}
      @click=${() => ((this.active = index), this.select(c.key))}
      @keydown=${this.onKeyDown}
    >
      <span part="name">${nameOf(c)}</span>
      <time part="time" datetime=${new Date(c.last.ts).toISOString()}>${relativeTime(c.last.ts, langOf(this))}</time>
      <span part="preview" class=${typing ? 'typing' : c.last.deleted ? 'deleted' : ''}
        >${typing ? this.t('conversationsTyping') : previewOf(c, this.ownUid, (k) => this.t(k))}</span
      >
      ${
        c.unread > 0
          ? html`<span part="unread" aria-label=${unreadLabel(c.unread, (k) => this.t(k))}>${unread}</span>`
          : nothing
      }
    </li>`;
  }
}

OovooConversations.define('oovoo-conversations');

declare global {
  interface HTMLElementTagNameMap {
    'oovoo-conversations': OovooConversations;
  }
}
