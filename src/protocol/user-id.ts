import { Limits } from './constants.js';
import { SchemaError, type Check } from './schema.js';

/**
 * A user id as the spec's samples pass it, a string or a number, trimmed: the one rule the SDK
 * and the server's login routes share, so " alice" signs in as the "alice" the SDK names.
 * Undefined when it is not one (empty, blank, too long, or another type).
 */
export function normalizeUserId(value: unknown): string | undefined {
  const id =
    typeof value === 'number' && Number.isFinite(value) ? String(value) : typeof value === 'string' ? value.trim() : '';
  return id && id.length <= Limits.maxUserIdLength ? id : undefined;
}

/**
 * A schema field holding a user id, trimmed by {@link normalizeUserId}, without control characters.
 * Strings only: the login bodies and forms the server reads carry user ids as strings.
 */
export const userIdField: Check<string> = (value, path) => {
  const id = typeof value === 'string' ? normalizeUserId(value) : undefined;
  if (id === undefined || /[\u0000-\u001f\u007f]/.test(id)) {
    throw new SchemaError(path, `must be a user id (a string of 1 to ${Limits.maxUserIdLength} characters)`);
  }
  return id;
};
