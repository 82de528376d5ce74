export {
  Messaging,
  type MessagingEvents,
  type ReceivedMessage,
  type ReceivedAcknowledgement,
  type TypingEvent,
  type SendParams,
  type AcknowledgementParams,
  type HistoryParams,
  type DeletedMessage,
} from './messaging.js';
export type { UploadParams } from './files.js';
export type { ConversationsParams } from './conversation-requests.js';
export type { ConversationPage, ConversationSummary } from '../../protocol/conversations.js';
export type { FileInfo } from '../../protocol/files.js';
export { PushApi, type PushParams, type PushRegistrationLike } from './push.js';
