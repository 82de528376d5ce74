import { ChunkFiles } from '../../protocol/constants.js';
import { SDK_SHARED } from '../chunk-shared.js';
import { chunkExports } from '../script-chunk.js';
import type { MessagingExtras } from './load-messaging-extras.js';

let loading: Promise<MessagingExtras> | undefined;

/**
 * The script-tag build's loader (stands in for load-messaging-extras.ts): oovoo-messaging.min.js
 * from where the SDK script came, which leaves its exports on `__oovooMessaging`.
 */
export function loadMessagingExtras(): Promise<MessagingExtras> {
  return (loading ??= chunkExports<MessagingExtras>(ChunkFiles.messaging, '__oovooMessaging', SDK_SHARED).catch(
    (e: unknown) => {
      loading = undefined;
      throw e;
    },
  ));
}
