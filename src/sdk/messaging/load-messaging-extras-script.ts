import { ChunkFiles } from '../../protocol/constants.js';
import { SDK_SHARED } from '../chunk-shared.js';
import { chunkExports } from '../script-chunk.js';
import type { MessagingExtras } from './load-messaging-extras.js';

/**
 * The script-tag build's loader (stands in for load-messaging-extras.ts): oovoo-messaging.min.js
 * from where the SDK script came, which leaves its exports on `__oovooMessaging` (added once).
 */
export const loadMessagingExtras = (): Promise<MessagingExtras> =>
  chunkExports(ChunkFiles.messaging, '__oovooMessaging', SDK_SHARED);
