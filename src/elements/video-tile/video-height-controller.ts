import type { ReactiveController, ReactiveControllerHost } from 'lit';

/**
 * Tells the conference how tall the host shows a remote participant's video, in device pixels,
 * whenever that changes (and 0 when the tile leaves the page): in a room on the SFU the server then
 * forwards the smallest simulcast layer that fills the tile, as LiveKit's adaptive stream does.
 */
export class VideoHeightController implements ReactiveController {
  private observer: ResizeObserver | undefined;
  private told: { uid: string; height: number } | undefined;

  constructor(
    private readonly host: ReactiveControllerHost & HTMLElement,
    /** The remote participant shown, and where to report; undefined for the local tile or outside a call. */
    private readonly target: () => { uid: string; report: (uid: string, height: number) => void } | undefined,
  ) {
    host.addController(this);
  }

  hostConnected(): void {
    if (typeof ResizeObserver === 'undefined') return;
    this.observer = new ResizeObserver(([entry]) => this.tell(entry ? entry.contentRect.height : 0));
    this.observer.observe(this.host);
  }

  hostUpdated(): void {
    // The participant shown may have changed: report for the new one.
    if (this.target()?.uid !== this.told?.uid) this.tell(this.host.clientHeight);
  }

  hostDisconnected(): void {
    this.observer?.disconnect();
    this.observer = undefined;
    this.tell(0);
  }

  private tell(cssHeight: number): void {
    const target = this.target();
    const height = Math.round(cssHeight * (globalThis.devicePixelRatio || 1));
    if (!target || (this.told?.uid === target.uid && this.told.height === height)) return;
    this.told = { uid: target.uid, height };
    target.report(target.uid, height);
  }
}
