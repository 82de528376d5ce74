import type { ReactiveController, ReactiveControllerHost } from 'lit';

/**
 * One AudioContext for every level meter of a conference, made on first use (browsers limit how
 * many a page may open) and closed when the conference element leaves the page.
 */
export class SharedAudioContext implements ReactiveController {
  private context: AudioContext | undefined;
  private connected = false;

  constructor(host: ReactiveControllerHost) {
    host.addController(this);
  }

  hostConnected(): void {
    this.connected = true;
  }

  hostDisconnected(): void {
    this.connected = false;
    void this.context?.close().catch(() => undefined);
    this.context = undefined;
  }

  get(): AudioContext | undefined {
    if (!this.context && typeof AudioContext !== 'undefined' && this.connected) {
      this.context = new AudioContext();
      void this.context.resume().catch(() => undefined);
    }
    return this.context;
  }
}
