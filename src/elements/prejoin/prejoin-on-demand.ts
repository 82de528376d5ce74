import { whenInDocument } from '../extras/when-in-document.js';
import { loadPrejoin } from './load-prejoin.js';

/**
 * The script-tag build's stand-in for prejoin.ts: <oovoo-prejoin> is defined by oovoo-prejoin.min.js,
 * added once the page has an <oovoo-prejoin> (`<oovoo-conference prejoin>` loads it for its own).
 */
export const OovooPrejoin = undefined;

whenInDocument('oovoo-prejoin', loadPrejoin);
