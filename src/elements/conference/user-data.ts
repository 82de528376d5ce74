/**
 * How <oovoo-conference> carries a display name beside the page's user data in the spec's single
 * `user_data` string. Participants that joined through the SDK with other user data still show,
 * under their uid.
 */
const KEY = 'oovoo';

export function encodeUserData(displayName: string, userData: string): string {
  return JSON.stringify({ [KEY]: 1, displayName, userData });
}

export function decodeUserData(raw: string, uid: string): { displayName: string; userData: string } {
  try {
    const value = JSON.parse(raw) as unknown;
    if (value && typeof value === 'object' && (value as Record<string, unknown>)[KEY] === 1) {
      const { displayName, userData } = value as { displayName?: unknown; userData?: unknown };
      if (typeof displayName === 'string' && typeof userData === 'string')
        return { displayName: displayName || uid, userData };
    }
  } catch {
    // Not ours: plain user data.
  }
  return { displayName: uid, userData: raw };
}
