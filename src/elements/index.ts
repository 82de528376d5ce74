// Registers every oovoo element.
export { OovooElement } from './base/oovoo-element.js';
export { OovooLogin, type LoginState, type LoginMode, type LoginStrings } from './login/login.js';
export { OovooChat, type ChatMessage, type ChatMessageStatus, type ChatStrings } from './chat/chat.js';
export { OovooConference, type ConferenceStrings } from './conference/conference.js';
export { OovooVideoTile, type VideoTileStrings } from './video-tile/video-tile.js';
export {
  clientContext,
  conferenceContext,
  type ClientContextValue,
  type ConferenceContextValue,
  type ConferenceParticipant,
  type ConferenceState,
} from './context.js';
export * from './events/index.js';
