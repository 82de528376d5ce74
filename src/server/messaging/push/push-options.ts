import type { PushProvider } from './push-provider.js';
import type { ResolveHost } from './address-check.js';
import { PushHostAllowlist } from './push-hosts.js';
import { DEFAULT_FCM_ENDPOINTS, type FcmEndpoints } from './fcm-provider.js';
import { DEFAULT_APNS_ENDPOINTS, type ApnsEndpoints } from './apns-provider.js';

/**
 * The push services browsers subscribe with (checked against Chromium's, Firefox's, Edge's and
 * Safari's endpoints): Chrome, Edge (Chromium), Opera and Samsung Internet use FCM; Firefox uses
 * Mozilla's autopush; legacy Edge and Windows use WNS; Safari uses web.push.apple.com.
 * `*.` allows every subdomain (not the bare name); every entry allows port 443 only.
 */
export const DEFAULT_PUSH_HOSTS: readonly string[] = [
  'fcm.googleapis.com',
  'updates.push.services.mozilla.com',
  '*.notify.windows.com',
  'web.push.apple.com',
  '*.push.apple.com',
];

/** `createServer({ messaging: { push } })`: where pushes may go and how many. Every field has a default. */
export interface PushOptions {
  /** How long the push service keeps an undelivered push, in seconds. Default 24 hours. */
  ttlSeconds?: number;
  /** VAPID subject: a mailto: or https: URL where the push service can reach the operator. */
  subject?: string;
  /** Most time one push may take (connect, TLS, request, answer), in ms. Default 10 s. */
  timeoutMs?: number;
  /**
   * Most subscriptions kept per user; registering one more evicts that user's oldest. Default 10.
   * Eviction rather than refusal: a browser cannot tell the server its old subscription died
   * (data cleared, reinstalled), so the newest is the likeliest live one, and a cap only the
   * user can fill harms no one else.
   */
  maxSubscriptionsPerUser?: number;
  /**
   * Hosts a Web Push endpoint may be on: `host`, `*.suffix` (any subdomain), either with `:port`
   * for a port other than 443; IP literals (`127.0.0.1:8443`, `[::1]:8443`) only match exactly.
   * Default DEFAULT_PUSH_HOSTS; giving a list replaces it.
   */
  allowedHosts?: readonly string[];
  /**
   * Let pushes connect to private, loopback, link-local, unique-local, CGNAT and other non-public
   * addresses. Only for a test's push service stand-in on loopback. Default false.
   */
  allowPrivateAddresses?: boolean;
  /** Certificates to trust for push services beside the system's (a test stand-in's own). */
  ca?: string | Buffer | Array<string | Buffer>;
  /** Resolves a push service's host name to its addresses. Default: the system resolver (dns.lookup). */
  resolveHost?: ResolveHost;
  /** Pushes being sent at once by this server, every provider together. Default 32. */
  maxInFlight?: number;
  /** Pushes waiting for a free slot; more are dropped (and logged). Default 2,000. */
  maxQueued?: number;
  /** Pushes to one user per minute (a burst of this many, then refilled evenly); more are dropped. Default 20. */
  perRecipientPerMinute?: number;
  /** More providers beside Web Push, FCM and APNs, by subscription kind (one of those kinds replaces ours). */
  providers?: PushProvider[];
  /**
   * Where the native providers connect: https URLs (origins), each also the only host and port
   * their pushes may reach. Defaults: Google's token URI and FCM, APNs and its sandbox. Tests point
   * them at loopback stand-ins (with `allowPrivateAddresses` and `ca`).
   */
  native?: { fcmTokenUri?: string; fcmBaseUrl?: string; apnsUrl?: string; apnsSandboxUrl?: string };
}

export interface ResolvedNativeEndpoints {
  readonly fcm: FcmEndpoints;
  readonly apns: ApnsEndpoints;
  /** The hosts (and ports) of the four URLs: native pushes go nowhere else. */
  readonly allowedHosts: PushHostAllowlist;
}

export interface ResolvedPushOptions {
  readonly ttlSeconds: number;
  readonly subject: string;
  readonly timeoutMs: number;
  readonly maxSubscriptionsPerUser: number;
  readonly allowedHosts: PushHostAllowlist;
  readonly allowPrivateAddresses: boolean;
  readonly ca: string | Buffer | Array<string | Buffer> | undefined;
  readonly resolveHost: ResolveHost | undefined;
  readonly maxInFlight: number;
  readonly maxQueued: number;
  readonly perRecipientPerMinute: number;
  readonly providers: readonly PushProvider[];
  readonly native: ResolvedNativeEndpoints;
}

function httpsUrl(value: string, name: string): URL {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new Error(`messaging.push.native.${name} must be a URL`);
  }
  if (url.protocol !== 'https:' || url.username || url.password || url.search || url.hash)
    throw new Error(`messaging.push.native.${name} must be an https URL without credentials, query or fragment`);
  return url;
}

function resolveNative(native: PushOptions['native'] = {}): ResolvedNativeEndpoints {
  const urls = {
    fcmTokenUri: httpsUrl(native.fcmTokenUri ?? DEFAULT_FCM_ENDPOINTS.tokenUri, 'fcmTokenUri'),
    fcmBaseUrl: httpsUrl(native.fcmBaseUrl ?? DEFAULT_FCM_ENDPOINTS.baseUrl, 'fcmBaseUrl'),
    apnsUrl: httpsUrl(native.apnsUrl ?? DEFAULT_APNS_ENDPOINTS.production, 'apnsUrl'),
    apnsSandboxUrl: httpsUrl(native.apnsSandboxUrl ?? DEFAULT_APNS_ENDPOINTS.sandbox, 'apnsSandboxUrl'),
  };
  return {
    fcm: { tokenUri: urls.fcmTokenUri.href, baseUrl: urls.fcmBaseUrl.origin },
    apns: { production: urls.apnsUrl.origin, sandbox: urls.apnsSandboxUrl.origin },
    allowedHosts: new PushHostAllowlist([...new Set(Object.values(urls).map((u) => u.host))]),
  };
}

function positiveInt(value: number | undefined, fallback: number, name: string, min = 1): number {
  const n = value ?? fallback;
  if (!Number.isInteger(n) || n < min) throw new Error(`messaging.push.${name} must be an integer of at least ${min}`);
  return n;
}

/** Fills in defaults; throws on a malformed allowlist entry or limit, so a bad configuration fails at start. */
export function resolvePushOptions(options: PushOptions = {}): ResolvedPushOptions {
  return {
    ttlSeconds: positiveInt(options.ttlSeconds, 24 * 3600, 'ttlSeconds', 0),
    subject: options.subject ?? 'mailto:push@oovoo-elements.invalid',
    timeoutMs: positiveInt(options.timeoutMs, 10_000, 'timeoutMs'),
    maxSubscriptionsPerUser: positiveInt(options.maxSubscriptionsPerUser, 10, 'maxSubscriptionsPerUser'),
    allowedHosts: new PushHostAllowlist(options.allowedHosts ?? DEFAULT_PUSH_HOSTS),
    allowPrivateAddresses: options.allowPrivateAddresses === true,
    ca: options.ca,
    resolveHost: options.resolveHost,
    maxInFlight: positiveInt(options.maxInFlight, 32, 'maxInFlight'),
    maxQueued: positiveInt(options.maxQueued, 2000, 'maxQueued', 0),
    perRecipientPerMinute: positiveInt(options.perRecipientPerMinute, 20, 'perRecipientPerMinute'),
    providers: options.providers ?? [],
    native: resolveNative(options.native),
  };
}
