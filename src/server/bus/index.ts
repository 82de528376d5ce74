export * from './bus.js';
export { InProcessBus } from './in-process-bus.js';
