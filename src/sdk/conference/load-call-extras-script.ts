import { ChunkFiles } from '../../protocol/constants.js';
import { SDK_SHARED } from '../chunk-shared.js';
import { chunkExports } from '../script-chunk.js';
import type { CallExtras } from './load-call-extras.js';

export type { CallExtras };

/** The extras once loaded, for code that must not wait (a topology made while frames arrive). */
export let callExtras: CallExtras | undefined;

/**
 * The script-tag build's loader (stands in for load-call-extras.ts): oovoo-call.min.js from where
 * the SDK script came, which leaves its exports on `__oovooCall` (added once; again after a failure).
 */
export const loadCallExtras = (): Promise<CallExtras> =>
  chunkExports<CallExtras>(ChunkFiles.call, '__oovooCall', SDK_SHARED).then((extras) => (callExtras = extras));
