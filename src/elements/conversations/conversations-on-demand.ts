import { ChunkFiles } from '../../protocol/constants.js';
import { loadChunk } from '../extras/script-chunks.js';
import { whenInDocument } from '../extras/when-in-document.js';

/**
 * The script-tag build's stand-in for conversations.ts: <oovoo-conversations> is defined by
 * oovoo-conversations.min.js, added once the page has one. A page without it never downloads it.
 */
export const OovooConversations = undefined;

whenInDocument('oovoo-conversations', () => loadChunk(ChunkFiles.conversations));
