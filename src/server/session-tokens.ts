import { createHmac, randomUUID, webcrypto } from 'node:crypto';
import { SignJWT, jwtVerify, errors as joseErrors } from 'jose';
import type { ConferenceRole, Environment, TokenType } from '../protocol/index.js';

/** What a session token says. */
export interface SessionClaims {
  readonly app: string;
  readonly uid: string;
  readonly env: Environment;
  readonly tt: TokenType;
  /** Expiry and issue time, seconds since the epoch. */
  readonly exp: number;
  readonly iat: number;
  readonly jti: string;
  /** Id of the app token that issued the session: revoking that token ends the session. */
  readonly atk: string;
  /** The user's role in conferences: a `role: "host"` claim, else participant. */
  readonly role: ConferenceRole;
}

export class SessionTokenError extends Error {
  constructor(readonly reason: 'expired' | 'invalid') {
    super(reason === 'expired' ? 'Session token expired.' : 'Session token invalid.');
    this.name = 'SessionTokenError';
  }
}

const ISSUER = 'oovoo-elements';
const AUDIENCE = 'oovoo-session';
const ALGORITHM = 'HS256';
/** Leeway for clock skew between servers and clients, in seconds. */
export const SESSION_CLOCK_TOLERANCE_S = 60;

/** Imported app keys kept before the cache starts over (a token can name any app: the cache must stay bounded). */
const MAX_CACHED_KEYS = 10_000;

/** App token ids as src/server/app-tokens.ts makes them. */
const APP_TOKEN_ID = /^[A-Za-z0-9_-]{16}$/;

/**
 * Session tokens: HS256 JWTs. Each app signs with its own key derived from the server secret,
 * so a token relabelled for another app fails its signature. The configured lifetime is also the
 * longest one accepted: a token claiming more, or issued in the future, was not made by this server.
 */
export class SessionTokens {
  constructor(
    private readonly secret: Buffer,
    private readonly ttlSeconds: number,
  ) {
    if (secret.length < 32) throw new Error('the session secret must be at least 32 bytes');
    if (!Number.isInteger(ttlSeconds) || ttlSeconds < 60) throw new Error('the session lifetime must be at least 60 s');
  }

  /** Imported keys by app: importing a raw key costs as much as the HMAC itself, on every login and connect. */
  private readonly keys = new Map<string, Promise<webcrypto.CryptoKey>>();

  private keyFor(appId: string): Promise<webcrypto.CryptoKey> {
    let key = this.keys.get(appId);
    if (!key) {
      if (this.keys.size >= MAX_CACHED_KEYS) this.keys.clear();
      const raw = createHmac('sha256', this.secret).update(`session-key:${appId}`).digest();
      key = webcrypto.subtle.importKey('raw', raw, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign', 'verify']);
      this.keys.set(appId, key);
    }
    return key;
  }

  /** `appToken` is the id of the app token the login presented. */
  /** A host's token carries `role: "host"`; a participant's carries no role (as tokens did before roles). */
  async issue(input: {
    app: string;
    uid: string;
    env: Environment;
    tt: TokenType;
    appToken: string;
    role?: ConferenceRole;
  }): Promise<string> {
    if (!APP_TOKEN_ID.test(input.appToken)) throw new Error('a session needs the id of the app token that issued it');
    const now = Math.floor(Date.now() / 1000);
    const role = input.role === 'host' ? { role: 'host' } : {};
    return (
      new SignJWT({ app: input.app, env: input.env, tt: input.tt, atk: input.appToken, ...role })
        .setProtectedHeader({ alg: ALGORITHM, typ: 'JWT' })
        .setSubject(input.uid)
        .setIssuer(ISSUER)
        .setAudience(AUDIENCE)
        // One clock reading for both, so the lifetime is exactly the configured one.
        .setIssuedAt(now)
        .setExpirationTime(now + this.ttlSeconds)
        .setJti(randomUUID())
        .sign(await this.keyFor(input.app))
    );
  }

  async verify(token: string): Promise<SessionClaims> {
    if (typeof token !== 'string' || token.length > 4096) throw new SessionTokenError('invalid');
    const app = unverifiedApp(token);
    if (!app) throw new SessionTokenError('invalid');
    try {
      const { payload } = await jwtVerify(token, await this.keyFor(app), {
        algorithms: [ALGORITHM],
        issuer: ISSUER,
        audience: AUDIENCE,
        requiredClaims: ['exp', 'iat', 'sub', 'jti'],
        clockTolerance: SESSION_CLOCK_TOLERANCE_S,
      });
      const { env, tt, sub, exp, iat, jti, atk, role = 'participant' } = payload;
      if (payload.app !== app || typeof sub !== 'string' || typeof jti !== 'string')
        throw new SessionTokenError('invalid');
      if (env !== 'sandbox' && env !== 'production') throw new SessionTokenError('invalid');
      if (tt !== 'web' && tt !== 'native') throw new SessionTokenError('invalid');
      if (typeof atk !== 'string' || !APP_TOKEN_ID.test(atk)) throw new SessionTokenError('invalid');
      if (role !== 'host' && role !== 'participant') throw new SessionTokenError('invalid');
      // jose checks exp (and that iat is a number) but neither of these.
      if (iat! > Math.floor(Date.now() / 1000) + SESSION_CLOCK_TOLERANCE_S) throw new SessionTokenError('invalid');
      if (exp! - iat! > this.ttlSeconds) throw new SessionTokenError('invalid');
      return { app, uid: sub, env, tt, exp: exp!, iat: iat!, jti, atk, role };
    } catch (e) {
      if (e instanceof SessionTokenError) throw e;
      if (e instanceof joseErrors.JWTExpired) throw new SessionTokenError('expired');
      throw new SessionTokenError('invalid');
    }
  }
}

/** The `app` claim read without verification, only to choose the key; the signature decides. */
export function unverifiedApp(token: string): string | undefined {
  const parts = token.split('.');
  if (parts.length !== 3) return undefined;
  try {
    const payload = JSON.parse(Buffer.from(parts[1]!, 'base64url').toString('utf8')) as unknown;
    if (typeof payload !== 'object' || payload === null) return undefined;
    const app = (payload as Record<string, unknown>).app;
    return typeof app === 'string' && /^[A-Za-z0-9_-]{1,64}$/.test(app) ? app : undefined;
  } catch {
    return undefined;
  }
}
