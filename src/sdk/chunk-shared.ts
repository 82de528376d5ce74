import * as enums from './enums.js';
import * as errors from './errors.js';
import * as ids from './messaging/ids.js';

/**
 * What the SDK's script-tag chunks take from the SDK script instead of carrying copies: one OoVooError
 * class, so `instanceof` holds for errors made on either side, the enums and the duplicate filter.
 * rollup.config.mjs fails the build when an SDK chunk imports a shared module not listed here. rollup.config.mjs trims each module to
 * the names the chunks import.
 */
export const SDK_SHARED = { enums, errors, ids };
