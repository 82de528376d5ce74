import type { FastifyBaseLogger } from 'fastify';
import { importPKCS8, SignJWT } from 'jose';
import type { PushSubscriptionRecord } from '../../store/messaging-types.js';
import type { Http2Connections } from './apns-connections.js';
import { jsonOf } from './native-https.js';
import { keyFingerprint, type ApnsCredentials, type NativePushSettings } from './native-credentials.js';
import { parseNativeEndpoint } from './native-device.js';
import type { PushOutcome, PushProvider } from './push-provider.js';

/** Apple refuses provider tokens older than an hour and throttles ones renewed more often than every 20 min. */
const PROVIDER_TOKEN_MS = 50 * 60_000;

export interface ApnsEndpoints {
  /** Where production device tokens are pushed. */
  readonly production: string;
  /** Where sandbox (development build) device tokens are pushed. */
  readonly sandbox: string;
}

export const DEFAULT_APNS_ENDPOINTS: ApnsEndpoints = {
  production: 'https://api.push.apple.com',
  sandbox: 'https://api.sandbox.push.apple.com',
};

/** A 400 reason meaning the device token will never work again (410 always means that). */
const GONE_REASONS = new Set(['BadDeviceToken', 'Unregistered']);
/** A 403 reason meaning our provider token is the problem: the next push signs a new one. */
const TOKEN_REASONS = new Set(['ExpiredProviderToken', 'InvalidProviderToken']);

/** The push as APNs wants it: `aps` for the system, the payload's fields beside it for the app. */
function apnsBody(payload: string): { body: string; alert: boolean } {
  const fields = (jsonOf(payload) as Record<string, unknown> | undefined) ?? {};
  const text = typeof fields.body === 'string' ? fields.body : undefined;
  const aps = text === undefined ? { 'content-available': 1 } : { alert: { body: text }, sound: 'default' };
  return { body: JSON.stringify({ ...fields, aps }), alert: text !== undefined };
}

/**
 * Apple Push Notification service over HTTP/2 with a token-based provider key: an ES256 JWT
 * (kid = key id, iss = team id) kept about 50 minutes, the app's bundle id as `apns-topic`,
 * the push type from the payload and its expiry from the TTL. Sandbox device tokens go to the sandbox host.
 */
export class ApnsProvider implements PushProvider {
  readonly kind = 'apns';
  private readonly tokens = new Map<string, { token: Promise<string>; renewAt: number }>();

  constructor(
    private readonly settings: NativePushSettings,
    private readonly opts: {
      endpoints: ApnsEndpoints;
      connections: Http2Connections;
      timeoutMs: number;
      log: FastifyBaseLogger;
    },
  ) {}

  async send(
    subscription: PushSubscriptionRecord,
    payload: string,
    opts: { ttlSeconds: number },
  ): Promise<PushOutcome> {
    const device = parseNativeEndpoint(subscription.endpoint);
    if (device?.platform !== 'apns') return 'gone';
    const credentials = await this.settings.apns(subscription.appId);
    if (!credentials) return 'failed';
    const cacheKey = keyFingerprint(credentials.teamId, credentials.keyId, credentials.key);
    const { body, alert } = apnsBody(payload);
    try {
      const answer = await this.opts.connections.request(
        new URL(this.opts.endpoints[device.environment]),
        {
          ':path': `/3/device/${device.token}`,
          authorization: `bearer ${await this.providerToken(cacheKey, credentials)}`,
          'apns-topic': credentials.bundleId,
          'apns-push-type': alert ? 'alert' : 'background',
          'apns-priority': alert ? '10' : '5',
          // 0: deliver now or never; else keep it until then.
          'apns-expiration': opts.ttlSeconds === 0 ? '0' : String(Math.floor(Date.now() / 1000) + opts.ttlSeconds),
          'content-type': 'application/json',
        },
        body,
        this.opts.timeoutMs,
      );
      if (answer.status === 200) return 'sent';
      const reason = (jsonOf(answer.body) as { reason?: unknown } | undefined)?.reason;
      if (answer.status === 410 || (answer.status === 400 && GONE_REASONS.has(String(reason)))) return 'gone';
      if (answer.status === 403 && TOKEN_REASONS.has(String(reason))) this.tokens.delete(cacheKey);
      this.opts.log.warn({ app: subscription.appId, status: answer.status, reason }, 'APNs refused a push');
      return 'failed';
    } catch (e) {
      this.opts.log.warn({ app: subscription.appId, reason: (e as Error).message }, 'APNs push failed');
      return 'failed';
    }
  }

  /** The provider token for a key, signed once for the pushes that ask at the same moment. */
  private providerToken(cacheKey: string, credentials: ApnsCredentials): Promise<string> {
    const cached = this.tokens.get(cacheKey);
    if (cached && cached.renewAt > Date.now()) return cached.token;
    const token = importPKCS8(credentials.key, 'ES256').then((key) =>
      new SignJWT({})
        .setProtectedHeader({ alg: 'ES256', kid: credentials.keyId })
        .setIssuer(credentials.teamId)
        .setIssuedAt()
        .sign(key),
    );
    this.tokens.set(cacheKey, { token, renewAt: Date.now() + PROVIDER_TOKEN_MS });
    // A key that fails to sign is not kept: the next push tries again.
    token.catch(() => this.tokens.delete(cacheKey));
    return token;
  }
}
