// The bundle-size budget, checked by `npm test` after the build: dist/oovoo.min.js (SDK and every
// element) fails past LIMIT bytes brotli, the call features' budget. The target is 26.7 KB.
// webrtc-adapter (dist/oovoo-adapter.min.js, only in browsers that need it) and the parts loaded on
// first use (the elements' extras, <oovoo-chat>, <oovoo-prejoin>, the SDK's call, messaging and login extras) are scripts
// of their own, shown but not counted.
import { existsSync, readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

const KB = 1024;
const TARGET = 26.7 * KB;
const LIMIT = 30 * KB;
const root = new URL('..', import.meta.url);

/** Raw, gzip (level 9) and brotli (quality 11, as a server would precompress) sizes in bytes. */
export function sizes(code) {
  return {
    raw: code.length,
    gzip: gzipSync(code, { level: 9 }).length,
    brotli: brotliCompressSync(code, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
  };
}

const kb = (n) => `${(n / KB).toFixed(1)} KB`;

function main() {
  const main = new URL('dist/oovoo.min.js', root);
  if (!existsSync(main)) {
    console.error('dist/oovoo.min.js is missing: run npm run build');
    return 1;
  }
  const script = sizes(readFileSync(main));
  console.log(
    `dist/oovoo.min.js: ${kb(script.raw)} minified, ${kb(script.gzip)} gzip, ${kb(script.brotli)} brotli (target ${kb(TARGET)}, limit ${kb(LIMIT)})`,
  );
  const adapterFile = new URL('dist/oovoo-adapter.min.js', root);
  if (existsSync(adapterFile)) {
    const adapter = sizes(readFileSync(adapterFile));
    console.log(
      `dist/oovoo-adapter.min.js (only where needed): ${kb(adapter.raw)} minified, ${kb(adapter.gzip)} gzip, ${kb(adapter.brotli)} brotli`,
    );
  }
  const chunks = [
    'oovoo-extras.min.js',
    'oovoo-chat.min.js',
    'oovoo-prejoin.min.js',
    'oovoo-conversations.min.js',
    'oovoo-call.min.js',
    'oovoo-messaging.min.js',
    'oovoo-login.min.js',
  ];
  for (const chunk of chunks) {
    const file = new URL(`dist/${chunk}`, root);
    if (!existsSync(file)) continue;
    const s = sizes(readFileSync(file));
    console.log(`dist/${chunk} (on first use): ${kb(s.raw)} minified, ${kb(s.gzip)} gzip, ${kb(s.brotli)} brotli`);
  }
  if (script.brotli > LIMIT) {
    console.error(`over budget: ${kb(script.brotli)} brotli > ${kb(LIMIT)}`);
    return 1;
  }
  if (script.brotli > TARGET) console.log(`warning: above the ${kb(TARGET)} target`);
  return 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) process.exitCode = main();
