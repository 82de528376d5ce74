import type { ReactiveController, ReactiveControllerHost } from 'lit';

/**
 * Which received messages of <oovoo-chat> the reader has really seen: a message counts as seen
 * once at least half of it (or, for a long one, half the log's height) is on screen while the
 * page itself is visible. The log's unseen items carry `data-unseen` and `data-id`.
 */
export class ReadTracker implements ReactiveController {
  private readonly unseen = new Set<string>();
  private readonly onScreen = new Set<string>();
  private observer: IntersectionObserver | undefined;
  /** The message each observed item showed when observed: Lit reuses items for other messages. */
  private observed = new WeakMap<Element, string>();
  private readonly onVisibility = () => this.markSeen();

  constructor(
    host: ReactiveControllerHost,
    private readonly log: () => HTMLElement | null,
    /** The messages just seen, in the order they were seen. */
    private readonly onSeen: (ids: readonly string[]) => void,
  ) {
    host.addController(this);
  }

  /** How many received messages are not seen yet. */
  get count(): number {
    return this.unseen.size;
  }

  isUnseen(id: string): boolean {
    return this.unseen.has(id);
  }

  /** A message arrived: unseen until it is on screen. */
  add(id: string): void {
    this.unseen.add(id);
  }

  /** The user read it elsewhere (another page, as the history says): no longer unseen, and no Read goes back. */
  forget(id: string): void {
    this.unseen.delete(id);
    this.onScreen.delete(id);
  }

  /** Another conversation: nothing of the last one is unseen. */
  clear(): void {
    this.unseen.clear();
    this.stopObserving();
  }

  hostConnected(): void {
    document.addEventListener('visibilitychange', this.onVisibility);
  }

  hostDisconnected(): void {
    document.removeEventListener('visibilitychange', this.onVisibility);
    this.stopObserving();
  }

  private stopObserving(): void {
    this.observer?.disconnect();
    this.observer = undefined;
    this.observed = new WeakMap();
    this.onScreen.clear();
  }

  hostUpdated(): void {
    const log = this.log();
    if (!log) return;
    this.observer ??= new IntersectionObserver((entries) => this.onIntersect(entries), {
      threshold: [0, 0.25, 0.5, 0.75, 1],
    });
    for (const li of log.querySelectorAll<HTMLElement>('li[data-unseen]')) {
      const id = li.dataset.id ?? '';
      if (this.observed.get(li) === id) continue;
      // An item reused for another message (a history page went in before it): observing it again is
      // what makes the observer report it afresh; it says nothing while the item stays where it was.
      if (this.observed.has(li)) this.observer.unobserve(li);
      this.observed.set(li, id);
      this.observer.observe(li);
    }
  }

  private onIntersect(entries: IntersectionObserverEntry[]): void {
    const height = this.log()?.clientHeight ?? 0;
    for (const entry of entries) {
      const id = (entry.target as HTMLElement).dataset.id ?? '';
      if (!this.unseen.has(id)) {
        this.observer?.unobserve(entry.target);
        this.observed.delete(entry.target);
        continue;
      }
      const seen =
        entry.isIntersecting && (entry.intersectionRatio >= 0.5 || entry.intersectionRect.height >= height / 2);
      if (seen) this.onScreen.add(id);
      else this.onScreen.delete(id);
    }
    this.markSeen();
  }

  /** Reports the unseen messages now on screen, if the page itself is visible. */
  private markSeen(): void {
    if (document.visibilityState !== 'visible') return;
    const seen: string[] = [];
    for (const id of this.onScreen) {
      this.onScreen.delete(id);
      if (this.unseen.delete(id)) seen.push(id);
    }
    if (seen.length > 0) this.onSeen(seen);
  }
}
