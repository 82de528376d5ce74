import type { LanguagePack } from './lang.js';

// Where each pack is: beside this module. Bundlers see each `new URL('./<lang>.json', import.meta.url)`
// and copy that pack into the app's assets (`?no-inline` keeps Vite from inlining every pack into the
// app's bundle; a plain server ignores it). Spelled out one by one: a pattern would have Vite take in
// whatever .json lies beside a pre-bundled copy of this module.
const PACK_URLS: Readonly<Record<string, () => URL>> = {
  es: () => new URL('./es.json?no-inline', import.meta.url),
  fr: () => new URL('./fr.json?no-inline', import.meta.url),
  de: () => new URL('./de.json?no-inline', import.meta.url),
  pt: () => new URL('./pt.json?no-inline', import.meta.url),
  ja: () => new URL('./ja.json?no-inline', import.meta.url),
  zh: () => new URL('./zh.json?no-inline', import.meta.url),
  ar: () => new URL('./ar.json?no-inline', import.meta.url),
  he: () => new URL('./he.json?no-inline', import.meta.url),
};

/** Fetches a language pack from beside this module. The script-tag build takes load-pack-script.ts instead. */
export const loadPack = (lang: string): Promise<LanguagePack> =>
  fetch(PACK_URLS[lang]!()).then((r) => (r.ok ? r.json() : {}));
