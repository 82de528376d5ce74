import { sdkScriptUrl } from './server-url.js';

/**
 * The script-tag build's chunks: scripts built beside the SDK script (dist/oovoo-*.min.js), added
 * once on first use. A chunk is built without the modules it shares with the SDK script and takes
 * them from `__oovooShared` (rollup.config.mjs `CHUNK_SHARED` names the keys): one Lit, one
 * OoVooError class, one set of event classes per page.
 */
const SHARED = '__oovooShared';

const loading = new Map<string, Promise<void>>();

/** Adds the chunk `file` (once; again after a failure) with `shared` on `__oovooShared`; resolves when it has run. */
export function loadScriptChunk(file: string, shared: Record<string, unknown>): Promise<void> {
  const scope = globalThis as unknown as Record<string, Record<string, unknown> | undefined>;
  Object.assign((scope[SHARED] ??= {}), shared);
  let promise = loading.get(file);
  if (!promise) {
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

/** What a chunk left on `globalThis[name]` once it ran; an error names the file that did not. */
export async function chunkExports<T>(file: string, name: string, shared: Record<string, unknown>): Promise<T> {
  await loadScriptChunk(file, shared);
  const exports = (globalThis as unknown as Record<string, T | undefined>)[name];
  if (!exports) throw new Error(`${file} did not define ${name}`);
  return exports;
}
