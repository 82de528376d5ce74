export {
  Messaging,
  type MessagingEvents,
  type ReceivedMessage,
  type ReceivedAcknowledgement,
  type SendParams,
  type AcknowledgementParams,
} from './messaging.js';
export { PushApi, type PushParams, type PushRegistrationLike } from './push.js';
