import type { VideoTileStrings } from '../video-tile/video-tile.js';
import type { DeviceChooserStrings } from './device-chooser.js';
import type { ParticipantPanelStrings } from './participant-panel.js';
import { REACTION_STRINGS } from './reactions.js';

/** The texts of <oovoo-conference>, in English; a page replaces any of them with the `strings` property. */
export const DEFAULT_STRINGS = {
  join: 'Join',
  leave: 'Leave',
  mute: 'Mute',
  unmute: 'Unmute',
  stopVideo: 'Stop video',
  startVideo: 'Start video',
  controls: 'Call controls',
  participants: 'Participants',
  devices: 'Devices',
  camera: 'Camera',
  microphone: 'Microphone',
  speaker: 'Speaker',
  defaultDevice: 'Default',
  joining: 'Joining…',
  reconnecting: 'Reconnecting…',
  left: 'You left the call.',
  you: 'You',
  micMuted: 'Microphone off',
  videoOff: 'Camera off',
  speaking: 'Speaking',
  waiting: 'Not in the call',
  raiseHand: 'Raise hand',
  lowerHand: 'Lower hand',
  handRaised: 'Hand raised',
  reactions: 'Reactions',
  closePanel: 'Close',
  pin: 'Pin',
  unpin: 'Unpin',
  shareScreen: 'Share screen',
  pictureInPicture: 'Picture-in-picture',
  stopSharing: 'Stop sharing',
  screen: 'screen',
  excellent: 'Excellent connection',
  good: 'Good connection',
  poor: 'Poor connection',
  lost: 'Connection lost',
  poorUplink: 'Your connection is poor: others may not see or hear you well',
  previousPage: 'Previous page',
  nextPage: 'Next page',
  ...REACTION_STRINGS,
} satisfies VideoTileStrings & DeviceChooserStrings & ParticipantPanelStrings & Record<string, string>;
export type ConferenceStrings = typeof DEFAULT_STRINGS;
