/**
 * The spec's sample plays streams with `video.src = URL.createObjectURL(stream)`, which browsers
 * dropped for MediaStream. This keeps that working: `URL.createObjectURL(MediaStream)` returns a
 * real blob: URL remembered in a registry, and a media element given such a URL, through its `src`
 * property, `setAttribute('src', …)` or a `<source src>` child, plays the stream (`srcObject`).
 * Every other object and URL behaves exactly as before. Installed only by the script at the spec's
 * path (src/global-spec.ts): pages written for the elements keep their globals untouched.
 */
const INSTALLED = Symbol.for('oovoo.mediaUrlShim');

export function installMediaUrlShim(): void {
  const g = globalThis as typeof globalThis & { [INSTALLED]?: boolean };
  if (
    g[INSTALLED] ||
    typeof URL === 'undefined' ||
    typeof MediaStream === 'undefined' ||
    typeof HTMLMediaElement === 'undefined'
  )
    return;
  const media = HTMLMediaElement.prototype;
  const srcDescriptor = Object.getOwnPropertyDescriptor(media, 'src');
  const sourceDescriptor = Object.getOwnPropertyDescriptor(HTMLSourceElement.prototype, 'src');
  if (!srcDescriptor?.set || !srcDescriptor.get || !sourceDescriptor?.set) return;
  g[INSTALLED] = true;

  const streams = new Map<string, MediaStream>();
  const createObjectURL = URL.createObjectURL.bind(URL);
  const revokeObjectURL = URL.revokeObjectURL.bind(URL);
  const setSrc = srcDescriptor.set;
  const setSourceSrc = sourceDescriptor.set;
  const setAttribute = Element.prototype.setAttribute;
  /** Elements whose srcObject this shim set, so a later ordinary `src` takes over again. */
  const shimmed = new WeakSet<HTMLMediaElement>();

  /** Plays a registered stream in the element; false for any other URL. */
  const play = (element: HTMLMediaElement, url: string): boolean => {
    const stream = streams.get(url);
    if (stream) {
      element.srcObject = stream;
      shimmed.add(element);
      return true;
    }
    if (shimmed.delete(element)) element.srcObject = null;
    return false;
  };
  /** A <source> with a registered URL plays in the media element around it. */
  const fromSource = (source: Element): void => {
    const parent = source.parentElement;
    const url = source.getAttribute('src');
    if (parent instanceof HTMLMediaElement && url && streams.has(url)) play(parent, url);
  };

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
  Object.defineProperty(media, 'src', {
    ...srcDescriptor,
    set(this: HTMLMediaElement, value: string) {
      if (!play(this, String(value))) setSrc.call(this, value);
    },
  });
  Object.defineProperty(HTMLSourceElement.prototype, 'src', {
    ...sourceDescriptor,
    set(this: HTMLSourceElement, value: string) {
      setSourceSrc.call(this, value);
      fromSource(this);
    },
  });
  Element.prototype.setAttribute = function (this: Element, name: string, value: string): void {
    const src = String(name).toLowerCase() === 'src';
    if (src && this instanceof HTMLMediaElement && play(this, String(value))) return;
    setAttribute.call(this, name, value);
    if (src && this instanceof HTMLSourceElement) fromSource(this);
  };
  // A <source> put into a media element after its src was set (or by innerHTML).
  new MutationObserver((records) => {
    for (const record of records) {
      for (const node of record.addedNodes) {
        if (node instanceof Element)
          for (const source of node.matches('source') ? [node] : node.querySelectorAll('source')) fromSource(source);
      }
    }
  }).observe(document, { childList: true, subtree: true });
}
