import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { Unsubscribe } from 'nanoevents';
import type { ConversationPage, ConversationSummary } from '../../protocol/conversations.js';
import type { Messaging } from '../../sdk/messaging/messaging.js';

/** One conversation as the list shows it: `key` is its other people, sorted, comma-separated (a chat's `to`). */
export interface ListedConversation extends ConversationSummary {
  readonly key: string;
}

/** The other people of a conversation: a chat's `to`, and the list's key, as one sorted string. */
export const keyOf = (others: readonly string[]): string => [...new Set(others)].sort().join(',');

const othersOf = (c: ConversationSummary): readonly string[] => c.group ?? (c.with === undefined ? [] : [c.with]);

export interface ConversationListOptions {
  /** Conversations per page (the element's `page-size`). */
  pageSize(): number;
  fail(e: unknown): void;
}

/** A message from someone refreshes the newest page once the burst has passed. */
const REFRESH_MS = 250;

/**
 * The conversations of `<oovoo-conversations>`: the newest page on bind, older ones on `more()`,
 * and live changes from Messaging's events. A message's delivery does not say which conversation it
 * belongs to (a 1:1 or a group with the same sender), so the newest page is read again after one;
 * typing, deletions and the user's own sends change the list in place.
 */
export class ConversationList implements ReactiveController {
  items: readonly ListedConversation[] = [];
  /** The following page's cursor; null at the end. */
  next: string | null = null;
  /** True until the first page came (or failed). */
  loading = false;
  private messaging: Messaging | undefined;
  private user: string | undefined;
  /** Moves with each bind: a page asked for before belongs to another user or client. */
  private generation = 0;
  private off: Unsubscribe[] = [];
  /** Users typing to this one now. */
  private readonly typists = new Set<string>();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private pending = false;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly options: ConversationListOptions,
  ) {
    host.addController(this);
  }

  hostDisconnected(): void {
    this.bind(undefined);
  }

  /** Reads the conversations of the signed-in `user` (again after a change of client or user). */
  bind(messaging: Messaging | undefined, user?: string): void {
    if (!user) messaging = undefined;
    if (messaging === this.messaging && user === this.user) return;
    this.user = user;
    this.generation++;
    for (const off of this.off.splice(0)) off();
    clearTimeout(this.timer);
    this.messaging = messaging;
    this.items = [];
    this.next = null;
    this.typists.clear();
    if (!messaging) return this.host.requestUpdate();
    this.off = [
      messaging.events.on('message', () => this.refreshSoon()),
      messaging.events.on('deleted', ({ msg_id }) => this.deleted(msg_id)),
      messaging.events.on('typing', ({ from, typing }) => {
        if (typing) this.typists.add(from);
        else this.typists.delete(from);
        this.host.requestUpdate();
      }),
    ];
    this.loading = true;
    void this.load(messaging);
  }

  /** Whether someone of this conversation is typing to the user. */
  typing(c: ConversationSummary): boolean {
    return othersOf(c).some((uid) => this.typists.has(uid));
  }

  /** Appends the following page. */
  more(): Promise<void> {
    return this.messaging && this.next ? this.load(this.messaging, this.next) : Promise.resolve();
  }

  /** The user sent `body` to `to` (from the chat): that conversation comes first, with it as the last message. */
  sent(own: string, to: readonly string[], body: string): void {
    const key = keyOf(to.filter((uid) => uid !== own));
    const found = this.items.find((c) => c.key === key);
    if (!found) return this.refreshSoon();
    const last = { msg_id: '', from: own, body, ts: Date.now() };
    this.items = [{ ...found, last }, ...this.items.filter((c) => c !== found)];
    this.host.requestUpdate();
  }

  /** What the chat showing this conversation counts unseen (it sends Read as the reader sees them). */
  setUnread(key: string, unread: number): void {
    if (!this.items.some((c) => c.key === key && c.unread !== unread)) return;
    this.items = this.items.map((c) => (c.key === key ? { ...c, unread } : c));
    this.host.requestUpdate();
  }

  private deleted(msgId: string): void {
    const found = this.items.find((c) => c.last.msg_id === msgId);
    if (!found) return;
    const { files: _files, ...last } = found.last;
    this.items = this.items.map((c) => (c === found ? { ...c, last: { ...last, body: '', deleted: true } } : c));
    // A deleted message no longer counts unread: the server knows whether it did.
    if (found.unread > 0) this.refreshSoon();
    this.host.requestUpdate();
  }

  private refreshSoon(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      const messaging = this.messaging;
      if (!messaging) return;
      // One read at a time: a burst during a read asks once more after it.
      if (this.loading) this.pending = true;
      else void this.load(messaging, undefined, true);
    }, REFRESH_MS);
  }

  private async load(messaging: Messaging, before?: string, refresh = false): Promise<void> {
    const generation = this.generation;
    this.loading = true;
    let page: ConversationPage;
    try {
      page = await messaging.conversations({ ...(before ? { before } : {}), limit: this.options.pageSize() });
    } catch (e) {
      if (generation === this.generation) this.options.fail(e);
      return;
    } finally {
      if (generation === this.generation) this.loading = false;
      this.host.requestUpdate();
    }
    if (generation !== this.generation) return;
    const fresh = page.items.map((c) => ({ ...c, key: keyOf(othersOf(c)) }));
    if (before) {
      // An older page: after what is listed (a conversation that moved up meanwhile stays where it is).
      const listed = new Set(this.items.map((c) => c.key));
      this.items = [...this.items, ...fresh.filter((c) => !listed.has(c.key))];
      this.next = page.next;
    } else {
      // The newest page: before the rest, which is all older; a refresh keeps the cursor of what is listed.
      const keys = new Set(fresh.map((c) => c.key));
      this.items = [...fresh, ...this.items.filter((c) => !keys.has(c.key))];
      if (!refresh) this.next = page.next;
    }
    if (this.pending) {
      this.pending = false;
      this.refreshSoon();
    }
  }
}
