import { ChunkFiles } from '../../protocol/constants.js';
import { loadChunk } from '../extras/script-chunks.js';

/** The script-tag build's loader (stands in for load-prejoin.ts): oovoo-prejoin.min.js from where the SDK script came. */
export function loadPrejoin(): Promise<unknown> {
  return loadChunk(ChunkFiles.prejoin);
}
