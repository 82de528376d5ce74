import type { FastifyBaseLogger } from 'fastify';
import { importPKCS8, SignJWT } from 'jose';
import type { PushSubscriptionRecord } from '../../store/messaging-types.js';
import { PushTargetRefusedError } from './address-check.js';
import { keyFingerprint, type FcmCredentials, type NativePushSettings } from './native-credentials.js';
import { parseNativeEndpoint } from './native-device.js';
import { httpsRequest, jsonOf, stringFields } from './native-https.js';
import type { PushAgent } from './push-agent.js';
import type { PushOutcome, PushProvider } from './push-provider.js';

const SCOPE = 'https://www.googleapis.com/auth/firebase.messaging';
/** An access token is used until this long before it expires. */
const REFRESH_MARGIN_MS = 5 * 60_000;
/** The assertion's life; Google takes at most one hour. */
const ASSERTION_SECONDS = 3600;

export interface FcmEndpoints {
  /** Where the service account's JWT is exchanged for an access token. */
  readonly tokenUri: string;
  /** FCM's HTTP v1 API: `${baseUrl}/v1/projects/PROJECT/messages:send`. */
  readonly baseUrl: string;
}

export const DEFAULT_FCM_ENDPOINTS: FcmEndpoints = {
  tokenUri: 'https://oauth2.googleapis.com/token',
  baseUrl: 'https://fcm.googleapis.com',
};

interface AccessToken {
  readonly token: string;
  readonly refreshAt: number;
}

/** An FCM answer that means the registration token will never work again. */
function tokenGone(status: number, text: string): boolean {
  const error = (jsonOf(text) as { error?: Record<string, unknown> } | undefined)?.error;
  const details = Array.isArray(error?.details) ? (error.details as Array<Record<string, unknown>>) : [];
  if (details.some((d) => d.errorCode === 'UNREGISTERED')) return true;
  if (status === 404 || error?.status === 'NOT_FOUND') return true;
  if (status !== 400 && error?.status !== 'INVALID_ARGUMENT') return false;
  // INVALID_ARGUMENT is about the token only when it says so (else the message itself was refused).
  const violations = details.flatMap((d) =>
    Array.isArray(d.fieldViolations) ? (d.fieldViolations as Array<{ field?: unknown }>) : [],
  );
  return (
    violations.some((v) => v.field === 'message.token') ||
    /registration token/i.test(typeof error?.message === 'string' ? error.message : '')
  );
}

/**
 * Firebase Cloud Messaging over the HTTP v1 API. Each app's service account (from the store) signs
 * an RS256 JWT that the token URI exchanges for an OAuth2 access token, kept until shortly before
 * it expires. Every request goes through the PushAgent (allowlisted hosts, checked addresses, a deadline).
 */
export class FcmProvider implements PushProvider {
  readonly kind = 'fcm';
  /** Access tokens by service account (a fingerprint of its key), and the exchanges under way. */
  private readonly tokens = new Map<string, AccessToken>();
  private readonly pending = new Map<string, Promise<AccessToken>>();

  constructor(
    private readonly settings: NativePushSettings,
    private readonly opts: { endpoints: FcmEndpoints; agent: PushAgent; timeoutMs: number; log: FastifyBaseLogger },
  ) {}

  async send(
    subscription: PushSubscriptionRecord,
    payload: string,
    opts: { ttlSeconds: number },
  ): Promise<PushOutcome> {
    const device = parseNativeEndpoint(subscription.endpoint);
    if (device?.platform !== 'fcm') return 'gone';
    const credentials = await this.settings.fcm(subscription.appId);
    if (!credentials) return 'failed';
    const cacheKey = keyFingerprint(credentials.clientEmail, credentials.privateKey);
    try {
      const access = await this.accessToken(cacheKey, credentials);
      const url = new URL(
        `/v1/projects/${encodeURIComponent(credentials.projectId)}/messages:send`,
        this.opts.endpoints.baseUrl,
      );
      const answer = await httpsRequest(url, {
        method: 'POST',
        headers: { authorization: `Bearer ${access.token}`, 'content-type': 'application/json; charset=utf-8' },
        body: JSON.stringify({
          message: {
            token: device.token,
            data: stringFields(payload),
            android: { ttl: `${opts.ttlSeconds}s`, priority: 'high' },
          },
        }),
        agent: this.opts.agent,
        timeoutMs: this.opts.timeoutMs,
      });
      if (answer.status >= 200 && answer.status < 300) return 'sent';
      // The access token was refused (revoked key): the next push fetches a new one.
      if (answer.status === 401) this.tokens.delete(cacheKey);
      if (tokenGone(answer.status, answer.body)) return 'gone';
      this.opts.log.warn({ app: subscription.appId, status: answer.status }, 'FCM refused a push');
      return 'failed';
    } catch (e) {
      this.warn(subscription.appId, e);
      return 'failed';
    }
  }

  private warn(appId: string, e: unknown): void {
    const reason = e instanceof PushTargetRefusedError ? 'push target refused' : 'FCM push failed';
    this.opts.log.warn({ app: appId, reason: (e as Error).message }, reason);
  }

  private accessToken(cacheKey: string, credentials: FcmCredentials): Promise<AccessToken> {
    const cached = this.tokens.get(cacheKey);
    if (cached && cached.refreshAt > Date.now()) return Promise.resolve(cached);
    let exchange = this.pending.get(cacheKey);
    if (!exchange) {
      exchange = this.exchange(credentials).finally(() => this.pending.delete(cacheKey));
      this.pending.set(cacheKey, exchange);
    }
    return exchange.then((token) => {
      this.tokens.set(cacheKey, token);
      return token;
    });
  }

  /** The OAuth2 JWT bearer grant (RFC 7523) with the service account's key. */
  private async exchange(credentials: FcmCredentials): Promise<AccessToken> {
    const { tokenUri } = this.opts.endpoints;
    const now = Math.floor(Date.now() / 1000);
    const assertion = await new SignJWT({ scope: SCOPE })
      .setProtectedHeader({
        alg: 'RS256',
        typ: 'JWT',
        ...(credentials.privateKeyId ? { kid: credentials.privateKeyId } : {}),
      })
      .setIssuer(credentials.clientEmail)
      .setSubject(credentials.clientEmail)
      .setAudience(tokenUri)
      .setIssuedAt(now)
      .setExpirationTime(now + ASSERTION_SECONDS)
      .sign(await importPKCS8(credentials.privateKey, 'RS256'));
    const answer = await httpsRequest(new URL(tokenUri), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', assertion }).toString(),
      agent: this.opts.agent,
      timeoutMs: this.opts.timeoutMs,
    });
    const json = jsonOf(answer.body) as { access_token?: unknown; expires_in?: unknown } | undefined;
    if (answer.status !== 200 || typeof json?.access_token !== 'string')
      throw new Error(`the token URI answered ${answer.status}`);
    const expiresIn = typeof json.expires_in === 'number' && json.expires_in > 0 ? json.expires_in : 3600;
    return { token: json.access_token, refreshAt: Date.now() + Math.max(0, expiresIn * 1000 - REFRESH_MARGIN_MS) };
  }
}
