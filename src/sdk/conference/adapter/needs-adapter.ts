/** The oldest Chromium whose WebRTC needs none of webrtc-adapter's shims (unified plan, promise APIs, connectionState). */
export const MIN_PLAIN_CHROMIUM = 100;

interface UserAgentSource {
  readonly userAgent: string;
  readonly userAgentData?: { readonly brands?: ReadonlyArray<{ readonly brand: string; readonly version: string }> };
}

/**
 * Whether this browser needs webrtc-adapter before capture and peer connections: every browser but a
 * current Chromium-based one (Chrome, Edge, Opera, Brave...). Firefox, Safari and every iOS browser
 * (WebKit, even when it says CriOS) get the shims. `null`: no browser (server-side rendering).
 */
export function needsWebrtcAdapter(
  nav: UserAgentSource | null = typeof navigator === 'undefined' ? null : navigator,
): boolean {
  if (!nav) return false;
  const brands = nav.userAgentData?.brands;
  if (brands && brands.length > 0) {
    return !brands.some((b) => b.brand === 'Chromium' && Number(b.version) >= MIN_PLAIN_CHROMIUM);
  }
  const chromium = /\b(?:Chrome|Chromium)\/(\d+)/.exec(nav.userAgent);
  return !(chromium && Number(chromium[1]) >= MIN_PLAIN_CHROMIUM);
}
