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
export { PushApi, type PushParams, type PushRegistrationLike } from './push.js';
