import { randomFillSync } from 'node:crypto';

const randomBytes = Buffer.alloc(10);

/**
 * A new message id: a UUID of version 7 (RFC 9562), whose first 48 bits are the time in ms. Ids
 * made one after the other sort together, so each index keyed by a message id (the message, its
 * inbox entries, its history row) grows at its end: a commit rewrites a few pages, where random
 * ids dirtied one page per message and index, which made every durable commit several times
 * larger (and slower to fsync) once history kept a row per send.
 */
export function newMessageId(now = Date.now()): string {
  randomFillSync(randomBytes);
  const hex = now.toString(16).padStart(12, '0').slice(-12) + randomBytes.toString('hex');
  // Version 7 in the 13th digit, the RFC 4122 variant (8, 9, a or b) in the 17th.
  const variant = (8 | (randomBytes[2]! & 3)).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-7${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
