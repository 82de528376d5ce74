import type { ReactiveController, ReactiveControllerHost } from 'lit';

/**
 * Binds a MediaStream (and a speaker) to a <video> of the host's shadow DOM: attaches after each
 * update while the host is connected, detaches on disconnect so no element keeps a track alive.
 */
export class MediaStreamController implements ReactiveController {
  private bound: MediaStream | undefined;
  private boundSink = '';

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly video: () => HTMLVideoElement | null | undefined,
    private readonly source: () => { stream: MediaStream | undefined; sinkId: string },
  ) {
    host.addController(this);
  }

  hostUpdated(): void {
    const video = this.video();
    if (!video) return;
    const { stream, sinkId } = this.source();
    if (video.srcObject !== (stream ?? null)) {
      video.srcObject = stream ?? null;
      // Autoplay may be refused until a user gesture; the next update tries again.
      if (stream) void video.play().catch(() => undefined);
    }
    this.bound = stream;
    const media = video as HTMLVideoElement & { setSinkId?: (id: string) => Promise<void> };
    if (sinkId !== this.boundSink && media.setSinkId) {
      this.boundSink = sinkId;
      void media.setSinkId(sinkId).catch(() => undefined);
    }
  }

  hostDisconnected(): void {
    const video = this.video();
    if (video) video.srcObject = null;
    this.bound = undefined;
    this.boundSink = '';
  }

  /** The stream bound now (for tests and the level meter). */
  get stream(): MediaStream | undefined {
    return this.bound;
  }
}
