import { loadPack } from './load-pack.js';

/** One language's texts by key: every element's keys in one flat map (a missing key falls back to English). */
export type LanguagePack = Readonly<Record<string, string>>;

/** The languages with a pack beside the script (src/elements/lang/<lang>.json); English is built in. */
export const PACK_LANGUAGES = ['es', 'fr', 'de', 'pt', 'ja', 'zh', 'ar', 'he'];

const packs = new Map<string, LanguagePack>();
const loading = new Map<string, Promise<unknown>>();

/**
 * A node's language as HTML reckons it: the `lang` of the node or its nearest ancestor, through
 * shadow roots to their hosts, up to `<html lang>`; '' when none says.
 */
export function langOf(node: Element): string {
  for (let el: Element | undefined = node; el; el = (el.getRootNode() as ShadowRoot).host) {
    const marked = el.closest('[lang]');
    if (marked) return marked.getAttribute('lang')!;
  }
  return '';
}

/**
 * The pack for a language tag (`pt-BR` and `pt` take pt, `zh-CN` and `zh-Hans` zh); undefined for
 * English, a language without a pack, or while it loads: each pack is fetched once, and `loaded`
 * runs when it arrived. A pack that fails to load counts as empty, so the texts stay English.
 */
export function packFor(tag: string, loaded: () => void): LanguagePack | undefined {
  const lang = tag.toLowerCase().split(/[-_]/)[0]!;
  if (!PACK_LANGUAGES.includes(lang) || packs.has(lang)) return packs.get(lang);
  let pending = loading.get(lang);
  if (!pending)
    loading.set(
      lang,
      (pending = loadPack(lang)
        .catch(() => ({}))
        .then((pack) => packs.set(lang, pack))),
    );
  void pending.then(loaded);
  return undefined;
}
