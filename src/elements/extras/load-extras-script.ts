import { ChunkFiles } from '../../protocol/constants.js';
import { chunkExports } from '../../sdk/script-chunk.js';
import type { Extras } from './load-extras.js';
import { ELEMENTS_SHARED } from './script-chunks.js';

/**
 * The script-tag build's loader (stands in for load-extras.ts): oovoo-extras.min.js from where
 * the SDK script came, which leaves its exports on `__oovooExtras`.
 */
export const loadExtras = (): Promise<Extras> => chunkExports(ChunkFiles.extras, '__oovooExtras', ELEMENTS_SHARED);
