import { createHash, randomBytes } from 'node:crypto';

/** What a token in a mail link looks like (43 base64url characters); anything else is not looked up. */
const LINK_TOKEN = /^[\w-]{20,100}$/;

/** A new secret for a mail link or a cookie: 256 random bits, base64url. */
export function newSecret(): string {
  return randomBytes(32).toString('base64url');
}

/** What the store keeps of a secret (SHA-256, hex): a copy of the table opens nothing. */
export function hashSecret(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}

/** Whether a string could be a link token at all, before the store is asked. */
export function looksLikeLinkToken(value: string): boolean {
  return LINK_TOKEN.test(value);
}

/** "48 hours", "1 hour", "30 minutes": a link's lifetime as the mail states it. */
export function describeDuration(ms: number): string {
  const hours = ms / 3_600_000;
  if (Number.isInteger(hours)) return hours === 1 ? '1 hour' : `${hours} hours`;
  const minutes = Math.max(1, Math.round(ms / 60_000));
  return minutes === 1 ? '1 minute' : `${minutes} minutes`;
}
