import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * App tokens look like `ovt1.<id>.<secret>`: the id finds the stored record, and only a
 * SHA-256 of the whole token is stored. The tokens carry 256 random bits, so a fast hash is enough.
 */
const PREFIX = 'ovt1';
const TOKEN_PATTERN = /^ovt1\.([A-Za-z0-9_-]{16})\.([A-Za-z0-9_-]{43})$/;

export interface NewAppToken {
  readonly id: string;
  readonly token: string;
  readonly hash: string;
}

export function hashAppToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

export function generateAppToken(): NewAppToken {
  const id = randomBytes(12).toString('base64url');
  const secret = randomBytes(32).toString('base64url');
  const token = `${PREFIX}.${id}.${secret}`;
  return { id, token, hash: hashAppToken(token) };
}

/** The record id inside a token, or undefined when the token is not of our form. */
export function appTokenId(token: string): string | undefined {
  return TOKEN_PATTERN.exec(token)?.[1];
}

/** Compares a presented token with a stored hash in constant time. */
export function appTokenMatches(token: string, storedHash: string): boolean {
  const presented = Buffer.from(hashAppToken(token), 'hex');
  const stored = Buffer.from(storedHash, 'hex');
  return presented.length === stored.length && timingSafeEqual(presented, stored);
}

/** App ids: 20 characters, upper-case letters and digits, easy to read aloud and paste. */
export function generateAppId(): string {
  const alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
  const bytes = randomBytes(20);
  let id = '';
  for (const b of bytes) id += alphabet[b & 31];
  return id;
}
