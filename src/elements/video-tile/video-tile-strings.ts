import { REACTION_STRINGS } from '../conference/reactions.js';

/** The texts of <oovoo-video-tile>, in English; a page replaces any of them with the `strings` property. */
export const DEFAULT_STRINGS = {
  you: 'You',
  micMuted: 'Microphone off',
  videoOff: 'Camera off',
  speaking: 'Speaking',
  waiting: 'Not in the call',
  handRaised: 'Hand raised',
  pin: 'Pin',
  unpin: 'Unpin',
  screen: 'screen',
  excellent: 'Excellent connection',
  good: 'Good connection',
  poor: 'Poor connection',
  lost: 'Connection lost',
  poorUplink: 'Your connection is poor: others may not see or hear you well',
  ...REACTION_STRINGS,
};
export type VideoTileStrings = typeof DEFAULT_STRINGS;
