/**
 * The script-tag build's chunks (dist/oovoo-extras.min.js, dist/oovoo-chat.min.js): scripts beside
 * the SDK script, added once on first use. They are built without the modules listed here and take
 * this bundle's instead (one Lit, one context key, one set of event classes per page).
 */
import * as litContext from '@lit/context';
import * as lit from 'lit';
import * as enums from '../../sdk/enums.js';
import * as errors from '../../sdk/errors.js';
import * as ids from '../../sdk/messaging/ids.js';
import { sdkScriptUrl } from '../../sdk/server-url.js';
import * as base from '../base/oovoo-element.js';
import * as reactions from '../conference/reactions.js';
import * as context from '../context.js';
import * as events from '../events/index.js';
import * as icons from '../icons.js';

/** Where a chunk finds the shared modules (rollup.config.mjs `CHUNK_SHARED` names the same keys). */
const SHARED = '__oovooShared';

const loading = new Map<string, Promise<void>>();

/** Adds the chunk `file` (once; again after a failure); resolves when it has run. */
export function loadChunk(file: string): Promise<void> {
  let promise = loading.get(file);
  if (!promise) {
    (globalThis as unknown as Record<string, unknown>)[SHARED] ??= {
      lit,
      litContext,
      enums,
      errors,
      ids,
      base,
      reactions,
      context,
      events,
      icons,
    };
    promise = new Promise<void>((resolve, reject) => {
      const script = document.createElement('script');
      script.src = new URL(file, sdkScriptUrl() ?? location.href).href;
      script.async = true;
      script.crossOrigin = 'anonymous';
      script.addEventListener('load', () => resolve());
      script.addEventListener('error', () => {
        loading.delete(file);
        script.remove();
        reject(new Error(`${script.src} could not be loaded`));
      });
      document.head.append(script);
    });
    loading.set(file, promise);
  }
  return promise;
}
