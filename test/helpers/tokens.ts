import { createHmac, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SignJWT } from 'jose';

/** The server's session secret, as it keeps it in its data folder. */
export function readSessionSecret(dataDir: string): Buffer {
  return Buffer.from(readFileSync(join(dataDir, 'session-secret'), 'utf8').trim(), 'base64');
}

/** The per-app signing key, derived the way src/server/session-tokens.ts derives it. */
export function sessionKey(secret: Buffer, appId: string): Uint8Array {
  return new Uint8Array(createHmac('sha256', secret).update(`session-key:${appId}`).digest());
}

export interface TokenSpec {
  /** The secret to derive the key from. */
  secret: Buffer;
  /** The app whose key signs (defaults to claims.app). */
  keyApp?: string;
  alg?: 'HS256' | 'HS384' | 'HS512';
  /** Claims; undefined values are left out. Defaults make a valid web token. */
  claims: Record<string, unknown> & { app: string; sub: string };
}

/** Signs a session token by hand, as an attacker or a test would. */
export async function signSessionToken(spec: TokenSpec): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  const defaults: Record<string, unknown> = {
    env: 'production',
    tt: 'web',
    iss: 'oovoo-elements',
    aud: 'oovoo-session',
    iat: now,
    exp: now + 600,
    jti: randomUUID(),
  };
  const claims = Object.fromEntries(Object.entries({ ...defaults, ...spec.claims }).filter(([, v]) => v !== undefined));
  return new SignJWT(claims)
    .setProtectedHeader({ alg: spec.alg ?? 'HS256', typ: 'JWT' })
    .sign(sessionKey(spec.secret, spec.keyApp ?? spec.claims.app));
}

/** Decodes the payload of a JWT without checking it. */
export function jwtPayload(token: string): Record<string, any> {
  return JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString('utf8'));
}

/** Replaces a JWT's payload and keeps its header and signature: a forgery. */
export function withPayload(token: string, payload: Record<string, unknown>): string {
  const [header, , signature] = token.split('.');
  return `${header}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}.${signature}`;
}

/** An unsigned (`alg: none`) JWT. */
export function unsignedToken(payload: Record<string, unknown>): string {
  const header = Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url');
  return `${header}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}.`;
}
