/**
 * The spec's sample plays streams with `video.src = URL.createObjectURL(stream)`, which browsers
 * dropped for MediaStream. This keeps that working: `URL.createObjectURL(MediaStream)` returns a
 * real blob: URL remembered in a registry, and the HTMLMediaElement `src` setter maps such a URL
 * to `srcObject`. Every other object and URL behaves exactly as before.
 */
const INSTALLED = Symbol.for('oovoo.mediaUrlShim');

export function installMediaUrlShim(): void {
  const g = globalThis as typeof globalThis & { [INSTALLED]?: boolean };
  if (g[INSTALLED] || typeof URL === 'undefined' || typeof MediaStream === 'undefined' || typeof HTMLMediaElement === 'undefined') return;
  const srcDescriptor = Object.getOwnPropertyDescriptor(HTMLMediaElement.prototype, 'src');
  if (!srcDescriptor?.set || !srcDescriptor.get) return;
  g[INSTALLED] = true;

  const streams = new Map<string, MediaStream>();
  const createObjectURL = URL.createObjectURL.bind(URL);
  const revokeObjectURL = URL.revokeObjectURL.bind(URL);
  const setSrc = srcDescriptor.set;
  const getSrc = srcDescriptor.get;
  /** Elements whose srcObject this shim set, so a later ordinary `src` takes over again. */
  const shimmed = new WeakSet<HTMLMediaElement>();

  URL.createObjectURL = function (object: Blob | MediaSource | MediaStream): string {
    if (object instanceof MediaStream) {
      const url = createObjectURL(new Blob());
      streams.set(url, object);
      return url;
    }
    return createObjectURL(object as Blob);
  };
  URL.revokeObjectURL = function (url: string): void {
    streams.delete(url);
    revokeObjectURL(url);
  };
  Object.defineProperty(HTMLMediaElement.prototype, 'src', {
    configurable: true,
    enumerable: srcDescriptor.enumerable ?? true,
    get(this: HTMLMediaElement) {
      return getSrc.call(this);
    },
    set(this: HTMLMediaElement, value: string) {
      const stream = streams.get(String(value));
      if (stream) {
        this.srcObject = stream;
        shimmed.add(this);
        return;
      }
      if (shimmed.delete(this)) this.srcObject = null;
      setSrc.call(this, value);
    },
  });
}
