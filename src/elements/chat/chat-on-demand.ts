import { ChunkFiles } from '../../protocol/constants.js';
import { loadChunk } from '../extras/script-chunks.js';
import { whenInDocument } from '../extras/when-in-document.js';

/**
 * The script-tag build's stand-in for chat.ts: <oovoo-chat> is defined by oovoo-chat.min.js,
 * added once the page has an <oovoo-chat> (in the document, not inside another shadow root);
 * Lit keeps what a page set on the element before it was defined. A call without chat never
 * downloads it.
 */
export const OovooChat = undefined;

whenInDocument('oovoo-chat', () => loadChunk(ChunkFiles.chat));
