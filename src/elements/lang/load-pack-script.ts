import { sdkScriptUrl } from '../../sdk/server-url.js';
import type { LanguagePack } from './lang.js';

/** The script-tag build's pack loader: `lang/<lang>.json` beside the SDK script. */
export const loadPack = (lang: string): Promise<LanguagePack> =>
  fetch(new URL(`lang/${lang}.json`, sdkScriptUrl() ?? location.href)).then((r) => (r.ok ? r.json() : {}));
