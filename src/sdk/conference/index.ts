export { Conference, type ConferenceHost } from './conference.js';
export { createAVChat, type AVChat } from './av-chat.js';
export type { AVChatInitParams } from './init-params.js';
export type { AudioController, VideoController } from './controllers.js';
export type * from './events.js';
export type { MediaTopology, TopologyContext, TopologyFactory, VideoSource } from './media-topology.js';
export type { MediaStats, UplinkStats } from './media-stats.js';
export type { NetworkQuality } from './network-quality.js';
