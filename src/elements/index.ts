// Registers every oovoo element.
export { OovooElement } from './base/oovoo-element.js';
export { OovooLogin, type LoginState, type LoginMode, type LoginStrings } from './login/login.js';
export { clientContext, type ClientContextValue } from './context.js';
export * from './events/index.js';
