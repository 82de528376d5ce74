/**
 * One string key from several ids (app and user, app and conference, …) for the server's maps.
 * The separator is NUL, which no validated id, conference or day can contain, so two different
 * tuples never make the same key.
 */
export function compositeKey(...parts: readonly string[]): string {
  return parts.join('\u0000');
}

/** The parts of a key made by {@link compositeKey}. */
export function splitCompositeKey(key: string): string[] {
  return key.split('\u0000');
}
