// Registers every oovoo element.
export { OovooElement } from './base/oovoo-element.js';
export { OovooLogin, type LoginState, type LoginMode } from './login/login.js';
export type { LoginStrings } from './login/login-strings.js';
export { OovooChat } from './chat/chat.js';
export type { ChatMessage, ChatMessageStatus, ChatStrings } from './chat/chat-message.js';
export { OovooConversations } from './conversations/conversations.js';
export type { ConversationsStrings } from './conversations/conversations-strings.js';
export type { ListedConversation } from './conversations/conversation-list.js';
export { OovooConversationSelectEvent, type ConversationSelectDetail } from './events/conversation-select.js';
export { OovooConference } from './conference/conference.js';
export type { ConferenceStrings } from './conference/conference-strings.js';
export { OovooVideoTile, type VideoTileStrings } from './video-tile/video-tile.js';
export { OovooPrejoin, type PrejoinChoices, type PrejoinStrings } from './prejoin/prejoin.js';
export {
  clientContext,
  conferenceContext,
  type ClientContextValue,
  type ConferenceContextValue,
  type ConferenceParticipant,
  type ConferenceState,
} from './context.js';
export * from './events/index.js';
