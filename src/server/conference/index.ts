export { ConferenceService, registerConference } from './conference-service.js';
export { resolveConferenceOptions, type ConferenceOptions } from './options.js';
export { turnCredentials, iceServersFor } from './ice-servers.js';
