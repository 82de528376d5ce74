import { ChunkFiles } from '../protocol/constants.js';
import { SDK_SHARED } from './chunk-shared.js';
import type { LoginExtras } from './load-login-extras.js';
import { chunkExports } from './script-chunk.js';

/**
 * The script-tag build's loader (stands in for load-login-extras.ts): oovoo-login.min.js from where
 * the SDK script came, which leaves its exports on `__oovooLogin` (loadScriptChunk adds it once).
 */
export const loadLoginExtras = (): Promise<LoginExtras> => chunkExports(ChunkFiles.login, '__oovooLogin', SDK_SHARED);
