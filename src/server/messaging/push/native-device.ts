import type { Environment } from '../../../protocol/index.js';

/** A phone's push address: its platform's device token (and, for APNs, which of Apple's two services). */
export type NativeDevice =
  | { readonly platform: 'fcm'; readonly token: string }
  | { readonly platform: 'apns'; readonly token: string; readonly environment: Environment };

/** FCM registration tokens: URL-safe base64 with ':' and a few more, well under 2 KB. */
export const FCM_TOKEN = /^[\w:.-]{16,1900}$/;
/** APNs device tokens: hex (32 bytes today; longer allowed, as Apple asks). */
export const APNS_TOKEN = /^[0-9a-fA-F]{64,200}$/;

/**
 * The device as the `endpoint` of its push subscription row: `fcm:TOKEN`, `apns:production:TOKEN`
 * or `apns:sandbox:TOKEN` (never a URL, so a Web Push registration can never name one).
 */
export function nativeEndpoint(device: NativeDevice): string {
  return device.platform === 'fcm' ? `fcm:${device.token}` : `apns:${device.environment}:${device.token.toLowerCase()}`;
}

/** The device a stored endpoint names, or undefined when it names none. */
export function parseNativeEndpoint(endpoint: string): NativeDevice | undefined {
  if (endpoint.startsWith('fcm:')) {
    const token = endpoint.slice(4);
    return FCM_TOKEN.test(token) ? { platform: 'fcm', token } : undefined;
  }
  const apns = /^apns:(sandbox|production):(.*)$/.exec(endpoint);
  if (apns && APNS_TOKEN.test(apns[2]!))
    return { platform: 'apns', environment: apns[1] as Environment, token: apns[2]! };
  return undefined;
}
