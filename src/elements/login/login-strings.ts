import type { ErrorStrings } from '../extras/error-advice.js';

/**
 * The texts of <oovoo-login>, in English; a page replaces any of them with the `strings` property.
 * `{name}` stands for the user's name.
 */
export const DEFAULT_STRINGS = {
  userIdLabel: 'User ID',
  displayNameLabel: 'Display name',
  signIn: 'Sign in',
  signOut: 'Sign out',
  signingIn: 'Signing in…',
  connecting: 'Connecting…',
  reconnecting: 'Reconnecting…',
  signedInAs: 'Signed in as {name}',
  popupBlocked: 'The sign-in window was blocked; allow pop-ups for this site.',
};
// The errors' words come with the extras (error-advice.ts), which carry their English: a pack or `strings` may replace them.
export type LoginStrings = typeof DEFAULT_STRINGS & ErrorStrings;
