/** Every oovoo event: one class per module, each declared in GlobalEventHandlersEventMap. */
export * from './options.js';
export * from './login.js';
export * from './connect.js';
export * from './logout.js';
export * from './error.js';
export * from './join.js';
export * from './leave.js';
export * from './leave-request.js';
export * from './participant-join.js';
export * from './participant-leave.js';
export * from './state-change.js';
export * from './data.js';
export * from './message.js';
export * from './send.js';
export * from './receipt.js';
export * from './unread-change.js';
export * from './hand-change.js';
export * from './reaction.js';
export * from './pin-change.js';
// Fired by the host UI only (it imports them from host.ts itself).
export * from './host.js';
export * from './prejoin-join.js';
