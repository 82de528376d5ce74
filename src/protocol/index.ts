export * from './errors.js';
export * from './constants.js';
export * from './frames.js';
export * from './schema.js';
export * from './conference.js';
export * from './messaging.js';
export * from './portal.js';
export * from './user-id.js';
