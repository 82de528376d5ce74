import { html, nothing, type ReactiveController, type ReactiveControllerHost } from 'lit';
import type { ChatStrings } from './chat-message.js';

interface TypingHost extends ReactiveControllerHost {
  readonly renderRoot: HTMLElement | DocumentFragment;
}

export interface ChatTypingOptions {
  /** Whom the user writes to now (empty: nobody, or a call, where nothing is signalled). */
  recipients(): readonly string[];
  /** Tells them the user is typing, or stopped (the SDK throttles; this may be called on every key). */
  signal(to: readonly string[], typing: boolean): void;
  /** A user's name as the chat shows it. */
  name(uid: string): string;
  t(key: keyof ChatStrings): string;
}

/**
 * "Alice is typing…" for <oovoo-chat>. Out: the text area's input says typing while it holds text
 * and stopped once emptied or left (a send stops it in the SDK). In: the peers the SDK reports as
 * typing, until it reports them stopped (they said so, their message came, or they lapsed).
 */
export class ChatTyping implements ReactiveController {
  /** Peers typing now, in the order they started. */
  private readonly peers = new Set<string>();
  private readonly onInput = (e: Event) => this.fromInput(e, false);
  private readonly onLeave = (e: Event) => this.fromInput(e, true);

  constructor(
    private readonly host: TypingHost,
    private readonly options: ChatTypingOptions,
  ) {
    host.addController(this);
  }

  hostConnected(): void {
    // Delegated from the shadow root: the text area is rendered, and rendered again, by the chat.
    this.host.renderRoot.addEventListener('input', this.onInput);
    this.host.renderRoot.addEventListener('focusout', this.onLeave);
  }

  hostDisconnected(): void {
    this.host.renderRoot.removeEventListener('input', this.onInput);
    this.host.renderRoot.removeEventListener('focusout', this.onLeave);
  }

  /** A peer started or stopped typing (only those whose messages the chat shows). */
  peer(uid: string, typing: boolean): void {
    if (typing === this.peers.has(uid)) return;
    if (typing) this.peers.add(uid);
    else this.peers.delete(uid);
    this.host.requestUpdate();
  }

  /** The chat changed conversation or connection: nobody it knows of is typing. */
  clear(): void {
    if (this.peers.size === 0) return;
    this.peers.clear();
    this.host.requestUpdate();
  }

  /** Who is typing, in words; empty when nobody is. */
  get text(): string {
    const [first, second] = [...this.peers].map((uid) => this.options.name(uid));
    if (first === undefined) return '';
    const { t } = this.options;
    const text = this.peers.size === 1 ? t('typingOne') : this.peers.size === 2 ? t('typingTwo') : t('typingMany');
    // Functions as replacements: a name is inserted as it is, `$&` and all.
    return text
      .replace('{name}', () => first)
      .replace('{other}', () => second ?? '')
      .replace('{count}', () => String(this.peers.size - 1));
  }

  render() {
    const text = this.text;
    return text ? html`<p part="typing">${text}</p>` : nothing;
  }

  private fromInput(e: Event, left: boolean): void {
    const area = e.target as HTMLTextAreaElement | null;
    if (area?.getAttribute('part') !== 'input') return;
    const to = this.options.recipients();
    if (to.length > 0) this.options.signal(to, !left && area.value.trim() !== '');
  }
}
