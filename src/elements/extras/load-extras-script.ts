import * as lit from 'lit';
import { Paths } from '../../protocol/constants.js';
import * as enums from '../../sdk/enums.js';
import { sdkScriptUrl } from '../../sdk/server-url.js';
import * as reactions from '../conference/reactions.js';
import * as icons from '../icons.js';
import type { Extras } from './load-extras.js';

/** Where the extras script finds the modules it shares with this bundle, and where it leaves its exports. */
const SHARED = '__oovooShared';
const EXTRAS = '__oovooExtras';

/**
 * The script-tag build's loader (stands in for load-extras.ts): adds a <script> for
 * oovoo-extras.min.js from where the SDK script came, once. That script is built with Lit, the
 * icons and the enums left out: it takes this bundle's (one Lit per page, nothing downloaded twice).
 */
let loading: Promise<Extras> | undefined;

export function loadExtras(): Promise<Extras> {
  return (loading ??= new Promise<Extras>((resolve, reject) => {
    const scope = globalThis as unknown as Record<string, unknown>;
    scope[SHARED] = { lit, icons, enums, reactions };
    const script = document.createElement('script');
    // A later use tries again.
    const fail = (e: Error) => {
      loading = undefined;
      script.remove();
      reject(e);
    };
    const base = sdkScriptUrl() ?? location.href;
    script.src = new URL(Paths.extrasScript.slice(1), base).href;
    script.async = true;
    script.crossOrigin = 'anonymous';
    script.addEventListener('load', () => {
      const extras = scope[EXTRAS] as Extras | undefined;
      if (extras) resolve(extras);
      else fail(new Error(`${script.src} did not load the elements' extras`));
    });
    script.addEventListener('error', () => fail(new Error(`${script.src} could not be loaded`)));
    document.head.append(script);
  }));
}
