/**
 * What messaging needs only once it is used, loaded with the first delivery or the first call
 * (load-messaging-extras.ts): the inbox and sends of `ooVooClient.Messaging`, and Web Push. The
 * script-tag build makes it dist/oovoo-messaging.min.js.
 */
export { MessagingInbox } from './messaging-inbox.js';
export { registerPush, sendPush } from './push-requests.js';
