import { ChunkFiles } from '../../protocol/constants.js';
import type { Extras } from './load-extras.js';
import { loadChunk } from './script-chunks.js';

/**
 * The script-tag build's loader (stands in for load-extras.ts): oovoo-extras.min.js from where
 * the SDK script came, which leaves its exports on `__oovooExtras`.
 */
export async function loadExtras(): Promise<Extras> {
  await loadChunk(ChunkFiles.extras);
  const extras = (globalThis as unknown as { __oovooExtras?: Extras }).__oovooExtras;
  if (!extras) throw new Error("oovoo-extras.min.js did not load the elements' extras");
  return extras;
}
