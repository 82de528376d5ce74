import { normalizeUserId } from '../protocol/user-id.js';
import { OoVooError } from './errors.js';

/** A random hex id; crypto.getRandomValues works on plain-http pages too, where randomUUID does not. */
export function randomId(bytes = 16): string {
  const buffer = new Uint8Array(bytes);
  crypto.getRandomValues(buffer);
  let out = '';
  for (const b of buffer) out += b.toString(16).padStart(2, '0');
  return out;
}

/** A user id as the spec's samples pass it, trimmed the same way everywhere (the SDK and the server's login). */
export const toUserId = normalizeUserId;

/** toUserId, or the -40000 that names the parameter. */
export function requireUserId(value: unknown, name: string): string {
  const id = toUserId(value);
  if (id === undefined) throw OoVooError.badRequest(`${name} must be a user id (a non-empty string or a number).`);
  return id;
}
