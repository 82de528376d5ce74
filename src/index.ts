export * from './sdk/index.js';
export * from './elements/index.js';
