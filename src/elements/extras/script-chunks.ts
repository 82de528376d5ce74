/**
 * The script-tag build's chunks (dist/oovoo-extras.min.js, dist/oovoo-chat.min.js): scripts beside
 * the SDK script, added once on first use. They are built without the modules listed here and take
 * this bundle's instead (one Lit, one context key, one set of event classes per page).
 */
import * as litContext from '@lit/context';
import * as lit from 'lit';
import { SDK_SHARED } from '../../sdk/chunk-shared.js';
import { loadScriptChunk } from '../../sdk/script-chunk.js';
import * as base from '../base/oovoo-element.js';
import * as reactions from '../conference/reactions.js';
import * as context from '../context.js';
import * as events from '../events/index.js';
import * as icons from '../icons.js';

/** What the elements' chunks take from this bundle. */
export const ELEMENTS_SHARED = { ...SDK_SHARED, lit, litContext, base, reactions, context, events, icons };

/** Adds the elements' chunk `file` (once; again after a failure); resolves when it has run. */
export const loadChunk = (file: string): Promise<void> => loadScriptChunk(file, ELEMENTS_SHARED);
