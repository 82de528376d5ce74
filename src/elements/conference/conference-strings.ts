import type { ErrorStrings } from '../extras/error-advice.js';
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
} satisfies VideoTileStrings & Pick<DeviceChooserStrings, 'devices'> & ParticipantPanelStrings & Record<string, string>;

/**
 * The texts only the extras show (the device lists; hosts and the lobby). The extras carry them as
 * their fallback, so they stay out of the SDK script; `t()` finds them in `strings` and the language
 * packs as any other. `{name}`, `{count}` and `{reason}` stand for a name, a number and a host's reason.
 */
export const EXTRAS_STRINGS = {
  camera: 'Camera',
  microphone: 'Microphone',
  speaker: 'Speaker',
  defaultDevice: 'Default',
  host: 'Host',
  hostControls: 'Host controls',
  lockCall: 'Lock the call',
  useLobby: 'Lobby: let people in one by one',
  muteName: 'Mute {name}',
  stopVideoName: 'Stop the video of {name}',
  removeName: 'Remove {name}',
  removeConfirm: 'Remove {name} from the call?',
  remove: 'Remove',
  cancel: 'Cancel',
  knockOne: '{name} wants to join',
  knocksTitle: '{count} people want to join',
  admit: 'Admit',
  deny: 'Deny',
  dismiss: 'Dismiss',
  lobbyWaiting: 'Waiting for the host to let you in',
  lobbyNoHost: 'No host is here yet',
  mutedByHost: 'A host muted you; unmute when you are ready',
  videoStoppedByHost: 'A host stopped your video; start it when you are ready',
  removedByHost: 'A host removed you from the call.',
  removedReason: 'A host removed you from the call: {reason}',
  endLocked: 'This call is locked: a host has to unlock it before you can join.',
  endDenied: 'A host did not let you in.',
  endTimeout: 'Nobody let you in in time. Try again later.',
  endLobbyFull: 'Too many people are waiting to join. Try again later.',
  endLobbyClosed: 'Your wait to join ended.',
};
export type ExtrasStrings = typeof EXTRAS_STRINGS;
// The errors' words come with the extras too (error-advice.ts).
export type ConferenceStrings = typeof DEFAULT_STRINGS & ExtrasStrings & ErrorStrings;
