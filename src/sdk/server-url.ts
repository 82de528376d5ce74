/**
 * Where the SDK's server is: `configure({ server })` if given, else the script tag's `data-server`
 * (a copy served from a CDN names its server), else the origin of the script that loaded the SDK (so
 * a page that swaps only the script host finds its server), else the page's origin.
 */
let scriptOrigin: string | undefined;
/** The full URL of that script: files built beside it (the WebRTC adapter) are found from it. */
let scriptUrl: string | undefined;

/** Called once by the script entry while it runs, when `document.currentScript` is still set. */
export function rememberScriptOrigin(): void {
  if (typeof document === 'undefined') return;
  const script = document.currentScript as HTMLScriptElement | null;
  if (script?.src) {
    try {
      const url = new URL(script.src, document.baseURI);
      scriptUrl = url.href;
      // Chunks still come from beside the script (scriptUrl); an invalid data-server falls to the page's origin.
      scriptOrigin = new URL(script.dataset.server || url).origin;
    } catch {
      scriptOrigin = undefined;
    }
  }
}

/** The URL the SDK script was loaded from, when it ran as a script tag. */
export function sdkScriptUrl(): string | undefined {
  return scriptUrl;
}

export function defaultServerOrigin(): string | undefined {
  if (scriptOrigin) return scriptOrigin;
  if (typeof location !== 'undefined' && /^https?:$/.test(location.protocol)) return location.origin;
  return undefined;
}

/** Normalizes a configured server to its origin; throws on anything but an http(s) URL. */
export function normalizeServer(server: string): string {
  const url = new URL(server);
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error('server must be an http or https URL');
  return url.origin;
}
