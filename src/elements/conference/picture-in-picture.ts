/** Chromium's Document Picture-in-Picture (not in TypeScript's DOM types yet). */
interface DocumentPictureInPicture {
  requestWindow(options?: { width?: number; height?: number }): Promise<Window>;
}

/** What the window shows: a stream and whose it is. */
export interface PipSource {
  readonly stream: MediaStream | undefined;
  readonly label: string;
}

/**
 * The call in the browser's picture-in-picture window: Document Picture-in-Picture where the
 * browser has it (a small page of our own: the video and a name), else the video element's own
 * PiP with `fallback`, a video of the conference's shadow DOM. `show` follows whoever should be in it.
 */
export class PictureInPicture {
  private video: HTMLVideoElement | undefined;
  private label: HTMLElement | undefined;
  private win: Window | undefined;

  constructor(
    private readonly fallback: () => HTMLVideoElement | null | undefined,
    private readonly closed: () => void,
  ) {}

  get isOpen(): boolean {
    return this.video !== undefined;
  }

  /** Opens the window (needs the click that asked for it) showing `source`. */
  async open(source: PipSource): Promise<void> {
    const api = (globalThis as { documentPictureInPicture?: DocumentPictureInPicture }).documentPictureInPicture;
    if (api) {
      const win = await api.requestWindow({ width: 480, height: 270 });
      const doc = win.document;
      doc.body.style.cssText =
        'margin:0;display:grid;height:100vh;background:#0f1115;color:#fff;font:14px system-ui,sans-serif';
      const video = doc.createElement('video');
      video.style.cssText = 'grid-area:1/1;width:100%;height:100%;object-fit:contain';
      const label = doc.createElement('div');
      label.style.cssText =
        'grid-area:1/1;align-self:end;justify-self:start;margin:8px;padding:2px 8px;border-radius:999px;background:rgb(0 0 0/.55)';
      doc.body.append(video, label);
      win.addEventListener('pagehide', () => this.ended(), { once: true });
      this.win = win;
      this.attach(video, label, source);
      return;
    }
    const video = this.fallback();
    if (!video?.requestPictureInPicture) throw new Error('This browser has no picture-in-picture.');
    this.attach(video, undefined, source);
    video.addEventListener('leavepictureinpicture', () => this.ended(), { once: true });
    // The element's PiP needs a picture to show first.
    if (video.readyState < HTMLMediaElement.HAVE_METADATA)
      await new Promise((resolve) => video.addEventListener('loadedmetadata', resolve, { once: true }));
    try {
      await video.requestPictureInPicture();
    } catch (e) {
      this.ended();
      throw e;
    }
  }

  /** Shows another stream (the new active speaker, a share) in the open window. */
  show(source: PipSource): void {
    const { video } = this;
    if (!video) return;
    if (video.srcObject !== (source.stream ?? null)) {
      video.srcObject = source.stream ?? null;
      void video.play().catch(() => undefined);
    }
    if (this.label) this.label.textContent = source.label;
    video.title = source.label;
  }

  close(): void {
    if (this.win) this.win.close();
    else if (document.pictureInPictureElement) void document.exitPictureInPicture().catch(() => undefined);
    this.ended();
  }

  private attach(video: HTMLVideoElement, label: HTMLElement | undefined, source: PipSource): void {
    // The tiles play the call's sound; the window only shows.
    video.muted = true;
    video.autoplay = true;
    video.playsInline = true;
    this.video = video;
    this.label = label;
    this.show(source);
  }

  private ended(): void {
    if (!this.video) return;
    if (!this.win) this.video.srcObject = null;
    this.video = this.label = this.win = undefined;
    this.closed();
  }
}
