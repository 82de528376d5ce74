import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { DEFAULT_STRINGS as CHAT } from '../../src/elements/chat/chat-message.js';
import { DEFAULT_STRINGS as CONVERSATIONS } from '../../src/elements/conversations/conversations-strings.js';
import {
  DEFAULT_STRINGS as CONFERENCE,
  EXTRAS_STRINGS as CONFERENCE_EXTRAS,
} from '../../src/elements/conference/conference-strings.js';
import { ERROR_STRINGS } from '../../src/elements/extras/error-advice.js';
import { PACK_LANGUAGES } from '../../src/elements/lang/lang.js';
import { DEFAULT_STRINGS as LOGIN } from '../../src/elements/login/login-strings.js';
import { DEFAULT_STRINGS as PREJOIN } from '../../src/elements/prejoin/prejoin-strings.js';
import { DEFAULT_STRINGS as VIDEO_TILE } from '../../src/elements/video-tile/video-tile-strings.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

// The language packs against the English strings of every element: a new string without an entry in
// a pack, a key no element has any more, or a changed placeholder fails here.

const root = new URL('../../', import.meta.url);
const langDir = new URL('src/elements/lang/', root);
const ELEMENTS = {
  // The strings only the extras show are not in DEFAULT_STRINGS: the packs hold them all the same.
  'oovoo-conference': { ...CONFERENCE, ...CONFERENCE_EXTRAS, ...ERROR_STRINGS },
  'oovoo-login': { ...LOGIN, ...ERROR_STRINGS },
  'oovoo-chat': CHAT,
  'oovoo-conversations': CONVERSATIONS,
  'oovoo-video-tile': VIDEO_TILE,
  'oovoo-prejoin': PREJOIN,
};
const REQUIRED = ['es', 'fr', 'de', 'pt', 'ja', 'zh', 'ar', 'he'];

/** Every element's English strings in one map, as the packs hold them. */
function englishStrings(): Map<string, { text: string; element: string }> {
  const all = new Map<string, { text: string; element: string }>();
  for (const [element, strings] of Object.entries(ELEMENTS))
    for (const [key, text] of Object.entries(strings as Record<string, string>)) {
      const seen = all.get(key);
      // The packs are one flat map: a key two elements share must mean the same text in both.
      assert.ok(
        !seen || seen.text === text,
        `"${key}" is "${seen?.text}" in ${seen?.element} but "${text}" in ${element}: rename one`,
      );
      all.set(key, { text, element });
    }
  return all;
}

const placeholders = (text: string) => [...text.matchAll(/\{\w+\}/g)].map((m) => m[0]).sort();
const readPack = (file: URL | string) => JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;

describe('language packs', () => {
  const english = englishStrings();

  it('one pack per language the loaders know, at least English, es, fr, de, pt, ja, zh, ar and he', () => {
    const files = readdirSync(langDir)
      .filter((f) => f.endsWith('.json'))
      .map((f) => f.slice(0, -'.json'.length))
      .sort();
    assert.deepEqual([...PACK_LANGUAGES].sort(), files);
    // The ES modules' loader names each pack by a URL of its own (bundlers copy what it names).
    const loader = readFileSync(new URL('load-pack.ts', langDir), 'utf8');
    assert.deepEqual([...loader.matchAll(/'\.\/(\w+)\.json\?no-inline'/g)].map((m) => m[1]).sort(), files);
    for (const lang of REQUIRED) assert.ok(files.includes(lang), `no pack for ${lang}`);
    assert.ok(english.size > 60, `only ${english.size} English strings found`);
  });

  for (const lang of PACK_LANGUAGES) {
    it(`${lang}: every string of every element, no stale key, the same placeholders, never a key or blank`, () => {
      const pack = readPack(new URL(`${lang}.json`, langDir));
      const missing = [...english.keys()].filter((key) => !(key in pack));
      const stale = Object.keys(pack).filter((key) => !english.has(key));
      assert.deepEqual(missing, [], `${lang}.json lacks ${missing.map((k) => `${english.get(k)!.element} "${k}"`)}`);
      assert.deepEqual(stale, [], `${lang}.json has keys no element uses`);
      for (const [key, { text }] of english) {
        const value = pack[key];
        assert.equal(typeof value, 'string', `${lang} "${key}" is not a string`);
        const translated = value as string;
        assert.ok(translated.trim() === translated && translated !== '', `${lang} "${key}" is blank or padded`);
        assert.notEqual(translated, key, `${lang} "${key}" is its key`);
        assert.deepEqual(placeholders(translated), placeholders(text), `${lang} "${key}" changed its placeholders`);
      }
    });
  }

  it('the build puts the packs beside each script and none of their texts in the SDK script (after npm run build)', () => {
    const script = readFileSync(new URL('dist/oovoo.min.js', root), 'utf8');
    for (const lang of PACK_LANGUAGES) {
      const source = readPack(new URL(`${lang}.json`, langDir));
      assert.deepEqual(readPack(new URL(`dist/lang/${lang}.json`, root)), source, `dist/lang/${lang}.json`);
      assert.deepEqual(readPack(new URL(`dist/esm/elements/lang/${lang}.json`, root)), source);
      for (const key of ['poorUplink', 'popupBlocked', 'controls'])
        assert.ok(!script.includes(source[key] as string), `${lang} "${key}" is in dist/oovoo.min.js`);
    }
  });
});

describe('language packs from the server', () => {
  let scriptDir: string;
  let server: TestServer;
  const pack = JSON.stringify({ join: 'Unirse' });

  before(async () => {
    scriptDir = mkdtempSync(join(tmpdir(), 'oovoo-lang-'));
    mkdirSync(join(scriptDir, 'lang'));
    writeFileSync(join(scriptDir, 'lang', 'es.json'), pack);
    writeFileSync(join(scriptDir, 'lang', 'notes.txt'), 'not a pack');
    server = await startTestServer({ scriptFile: join(scriptDir, 'oovoo.min.js') });
  });
  after(async () => {
    await server.stop();
    rmSync(scriptDir, { recursive: true, force: true });
  });

  for (const path of ['/lang/es.json', '/webrtc/lang/es.json']) {
    it(`serves ${path} beside the SDK script: JSON, cached, an ETag and 304, readable from any origin`, async () => {
      const res = await fetch(`${server.url}${path}`);
      const etag = res.headers.get('etag');
      const again = await fetch(`${server.url}${path}`, { headers: { 'if-none-match': etag ?? '' } });

      assert.equal(res.status, 200);
      assert.equal(await res.text(), pack);
      assert.equal(res.headers.get('content-type'), 'application/json; charset=utf-8');
      assert.match(res.headers.get('cache-control') ?? '', /^public, max-age=86400\b/);
      assert.equal(res.headers.get('access-control-allow-origin'), '*');
      assert.match(etag ?? '', /^"[\w-]{27}"$/);
      assert.equal(again.status, 304);
    });
  }

  for (const path of ['/lang/it.json', '/lang/notes.txt', '/lang/..%2Foovoo.min.js', '/webrtc/lang/%2e%2e%2fes.json']) {
    it(`answers 404 -50002 for ${path}`, async () => {
      const res = await fetch(`${server.url}${path}`);

      assert.equal(res.status, 404);
      assert.equal(((await res.json()) as { error: { code: number } }).error.code, -50002);
    });
  }
});
