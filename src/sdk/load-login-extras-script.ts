import { ChunkFiles } from '../protocol/constants.js';
import { SDK_SHARED } from './chunk-shared.js';
import type { LoginExtras } from './load-login-extras.js';
import { chunkExports } from './script-chunk.js';

let loading: Promise<LoginExtras> | undefined;

/**
 * The script-tag build's loader (stands in for load-login-extras.ts): oovoo-login.min.js from where
 * the SDK script came, which leaves its exports on `__oovooLogin`.
 */
export function loadLoginExtras(): Promise<LoginExtras> {
  return (loading ??= chunkExports<LoginExtras>(ChunkFiles.login, '__oovooLogin', SDK_SHARED).catch((e: unknown) => {
    loading = undefined;
    throw e;
  }));
}
